import { errors } from '@nats-io/transport-node';
import { Injectable, Logger } from '@nestjs/common';
import { replicaStatusSchema, SERVICES_WITH_STATUS, serviceStatusSubject } from '@orders/contracts';
import { DeadLetters, describeError, NatsConnectionManager } from '@orders/messaging';
import { ReplicaState, ServiceState, ServicesState, ServiceStatusAdmin } from '../application/service-status-admin';

/**
 * Replicas answer within about 1.5 s even when their database does not (its readiness check's
 * timeout), so 2 s gathers every replica that is alive, on each refresh of the console.
 */
export const STATUS_WAIT_MS = 2_000;

/**
 * Asks every service's status subject at once and gathers the answers of all its replicas for
 * STATUS_WAIT_MS (ADR 0019); counts the dead letters per service from the queue itself, so a
 * service that does not answer still shows them.
 */
@Injectable()
export class NatsServiceStatusAdmin extends ServiceStatusAdmin {
  private readonly logger = new Logger(NatsServiceStatusAdmin.name);

  constructor(
    private readonly nats: NatsConnectionManager,
    private readonly deadLetters: DeadLetters,
  ) {
    super();
  }

  async services(): Promise<ServicesState> {
    const [depths, ...answers] = await Promise.all([
      this.deadLetters.depthByService().catch((error: unknown) => {
        this.logger.warn(`Dead letters left uncounted in the services' status: ${describeError(error)}`);
        return null;
      }),
      ...SERVICES_WITH_STATUS.map((service) => this.replicasOf(service)),
    ]);
    const services = SERVICES_WITH_STATUS.map((name, index): ServiceState => ({ name, ...answers[index], deadLetters: depths === null ? null : (depths[name] ?? 0) }));
    return { services, waitedMs: STATUS_WAIT_MS };
  }

  private async replicasOf(service: string): Promise<Pick<ServiceState, 'replicas' | 'noAnswer'>> {
    const replicas: ReplicaState[] = [];
    let unreadable = 0;
    try {
      const answers = await this.nats.connection.requestMany(serviceStatusSubject(service), '', { strategy: 'timer', maxWait: STATUS_WAIT_MS });
      for await (const answer of answers) {
        const parsed = replicaStatusSchema.safeParse(safeJson(answer.string()));
        if (parsed.success && parsed.data.service === service) {
          const { service: _service, ...replica } = parsed.data;
          replicas.push(replica);
        } else unreadable++;
      }
    } catch (error) {
      if (replicas.length === 0) return { replicas, noAnswer: noAnswerBecause(error) };
    }
    if (unreadable > 0) this.logger.warn(`${unreadable} answer(s) to ${serviceStatusSubject(service)} were not a status of ${service}; left out`);
    if (replicas.length > 0) return { replicas: replicas.sort((a, b) => a.replica.localeCompare(b.replica)), noAnswer: null };
    return { replicas, noAnswer: unreadable > 0 ? 'its answers were not a status this gateway understands' : `no replica answered within ${STATUS_WAIT_MS} ms` };
  }
}

function noAnswerBecause(error: unknown): string {
  // NATS says so at once when nothing subscribes to the subject.
  const noResponders = error instanceof errors.NoRespondersError || (error instanceof errors.RequestError && error.isNoResponders());
  return noResponders ? 'no replica is running' : `it could not be asked: ${describeError(error)}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
