import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import type { Msg, Subscription } from '@nats-io/transport-node';
import { HealthCheckResult } from '@nestjs/terminus';
import { ReplicaStatus, serviceStatusSubject } from '@orders/contracts';
import { describeError, NatsConnectionManager, THIS_REPLICA } from '@orders/messaging';
import { CircuitBreakerMetrics } from '@orders/metrics';
import { HEALTH_OPTIONS, HealthOptions, Readiness } from './readiness';

/** A reason is one line for an operator; the full story is in the logs. */
const MAX_REASON_LENGTH = 500;

/**
 * Answers the operators' status requests on `status.<service>` without a queue group, so every
 * replica answers with its own state: its readiness and the reasons behind it, its outbox backlog
 * and its circuit breakers. It reads what the readiness probe and the metrics read, nothing of
 * its own (ADR 0019).
 */
@Injectable()
export class StatusResponder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(StatusResponder.name);
  private subscription?: Subscription;

  constructor(
    private readonly nats: NatsConnectionManager,
    private readonly readiness: Readiness,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    /** Apps started without MetricsModule (some tests) track no breakers. */
    @Optional() private readonly breakers?: CircuitBreakerMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.answersStatusRequests) return;
    this.subscription = this.nats.connection.subscribe(serviceStatusSubject(this.nats.serviceName), {
      callback: (error, message) => {
        if (!error) void this.answer(message);
      },
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.drain();
  }

  async status(): Promise<ReplicaStatus> {
    const readiness = await this.readiness.result();
    return {
      service: this.nats.serviceName,
      replica: THIS_REPLICA,
      ready: readiness.status === 'ok',
      reasons: reasonsOf(readiness),
      outbox: outboxOf(readiness),
      breakers: this.breakers?.readings() ?? [],
    };
  }

  private async answer(message: Msg): Promise<void> {
    try {
      message.respond(JSON.stringify(await this.status()));
    } catch (error) {
      this.logger.warn(`Could not answer a status request: ${describeError(error)}`);
    }
  }
}

/** Checks that are down, and details that could not be read, each as `<check>: <message>`. */
function reasonsOf(readiness: HealthCheckResult): string[] {
  return Object.entries(readiness.details).flatMap(([check, { status, message }]) => {
    if (typeof message === 'string') return [`${check}: ${message}`.slice(0, MAX_REASON_LENGTH)];
    return status === 'down' ? [`${check}: down`] : [];
  });
}

function outboxOf(readiness: HealthCheckResult): ReplicaStatus['outbox'] {
  const outbox = readiness.details.outbox;
  if (typeof outbox?.rows !== 'number' || typeof outbox.oldestAgeSeconds !== 'number') return null;
  return { rows: outbox.rows, oldestAgeSeconds: outbox.oldestAgeSeconds };
}
