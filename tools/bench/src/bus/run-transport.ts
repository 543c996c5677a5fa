import { ManagedProcess, ProcessLogs, waitFor } from '@orders/local-processes';
import { ConsumerInfo, jetstream, jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { startPrivateNatsServer } from '@orders/testing';
import { relative } from 'node:path';
import { CHILD_ENVIRONMENT } from './children/child-runtime';
import { ChildControl } from './control';
import { HandledReport } from './handled-log';
import { BusOptions } from './options';
import { preciseNow } from '../measure/precise-time';
import { BENCH_EVENT, corePublisher, EventSource, jetStreamPublisher, publishAtRate, Publisher } from './publisher';
import { ConsumerSummary, Delivery, deliveryProblems, TransportResult } from './report';
import { Teardown } from './teardown';
import { BENCH_STREAM, Transport } from './transports';

export interface RunContext {
  options: BusOptions;
  teardown: Teardown;
  logs: ProcessLogs;
  repositoryRoot: string;
}

const CHILD_STOP_GRACE_MS = 5_000;
const ACK_SETTLE_TIMEOUT_MS = 10_000;

/**
 * One transport's run against a private nats-server of its own: start the child, warm
 * up, measure throughput, measure latency at a fixed rate, check every delivery, stop.
 */
export function measureTransport(transport: Transport, context: RunContext): Promise<TransportResult> {
  const { options, teardown } = context;
  return teardown.scope(async (hold) => {
    const server = hold(await startPrivateNatsServer(), (started) => started.dispose());
    const connection = hold(await connect({ servers: server.url, name: 'bench-bus-publisher' }), (open) => open.close());
    const manager = await jetstreamManager(connection);
    await transport.prepare?.(manager);
    const child = hold(startChild(transport, server.url, context), (running) => running.stop('SIGTERM', CHILD_STOP_GRACE_MS));
    const handler = new HandlerProgress(transport, child, new ChildControl(connection), options.timeoutSeconds * 1000);
    await handler.ready();

    const source = new EventSource(transport.frame);
    const publisher: Publisher = transport.persistent
      ? jetStreamPublisher(jetstream(connection), BENCH_EVENT.subject, source)
      : corePublisher(connection, BENCH_EVENT.subject, source);

    await publisher.burst(options.warmup, options.window);
    await handler.handled(options.warmup);

    await handler.startPhase();
    const firstPublishAt = preciseNow();
    await publisher.burst(options.events, options.window);
    const publishSeconds = (preciseNow() - firstPublishAt) / 1000;
    const lastHandledAt = (await handler.handled(options.events)).phase.lastHandledAt ?? Number.NaN;
    const throughputSeconds = (lastHandledAt - firstPublishAt) / 1000;

    await handler.startPhase();
    const achievedRate = await publishAtRate(publisher, options.rate, options.seconds);
    const latency = (await handler.handled(options.rate * options.seconds)).phase.latency;

    const published = options.warmup + options.events + options.rate * options.seconds;
    const { delivery, consumer } = transport.persistent
      ? await jetStreamDelivery(manager, handler, published)
      : { delivery: await handledDelivery(handler, published), consumer: undefined };
    const problems = deliveryProblems(delivery, transport.persistent);
    if (problems.length > 0) throw new Error(`${transport.label} failed the delivery checks: ${problems.join('; ')}`);

    return {
      key: transport.key,
      letter: transport.letter,
      label: transport.label,
      notes: transport.notes,
      eventBytes: source.next().length,
      consumer,
      throughput: {
        events: options.events,
        seconds: round(throughputSeconds, 3),
        eventsPerSecond: Math.round(options.events / throughputSeconds),
        publishSeconds: round(publishSeconds, 3),
      },
      latency: { ...latency, ratePerSecond: options.rate, seconds: options.seconds, achievedRatePerSecond: Math.round(achievedRate) },
      delivery,
    };
  });
}

function startChild(transport: Transport, natsUrl: string, { repositoryRoot, logs }: RunContext): ManagedProcess {
  const child = new ManagedProcess(
    {
      name: `bench-bus-${transport.key}`,
      command: process.execPath,
      args: ['--enable-source-maps', '-r', './tools/register.cjs', relative(repositoryRoot, transport.entry)],
      cwd: repositoryRoot,
      env: { ...process.env, [CHILD_ENVIRONMENT.natsUrl]: natsUrl, [CHILD_ENVIRONMENT.subject]: BENCH_EVENT.subject },
    },
    logs,
  );
  child.start();
  return child;
}

/** The child's handler as the bench follows it; every wait fails early, quoting the child's output, if the child dies. */
class HandlerProgress {
  constructor(
    private readonly transport: Transport,
    private readonly child: ManagedProcess,
    readonly control: ChildControl,
    private readonly timeoutMs: number,
  ) {}

  ready(): Promise<void> {
    return this.child.waitUntilReady(() => this.control.report(), { description: `${this.transport.label} to start`, timeoutMs: this.timeoutMs, intervalMs: 250 });
  }

  startPhase(): Promise<void> {
    return this.control.startPhase();
  }

  /** Waits until the current phase's `expected` events were handled. */
  async handled(expected: number): Promise<HandledReport> {
    await this.child.waitUntilReady(
      async () => {
        const { phase } = await this.control.report();
        if (phase.handled < expected) throw new Error(`${phase.handled} of ${expected} handled`);
        return true;
      },
      { description: `${this.transport.label} to handle ${expected} events`, timeoutMs: this.timeoutMs, intervalMs: 50 },
    );
    return this.control.report();
  }
}

async function handledDelivery(handler: HandlerProgress, published: number): Promise<Delivery> {
  const { total } = await handler.control.report();
  return { published, ...total };
}

/** Once the server has every ack (they travel after the handler returns), what the stream and its consumer say. */
async function jetStreamDelivery(manager: JetStreamManager, handler: HandlerProgress, published: number): Promise<{ delivery: Delivery; consumer: ConsumerSummary }> {
  const settled = async (): Promise<boolean> => {
    const info = await benchConsumer(manager);
    return info.num_ack_pending === 0 && info.num_pending === 0;
  };
  // On a timeout the delivery checks below say what is missing.
  await waitFor(settled, { description: 'every message to be acked', timeoutMs: ACK_SETTLE_TIMEOUT_MS }).catch(() => undefined);
  const info = await benchConsumer(manager);
  const stream = await manager.streams.info(BENCH_STREAM.name);
  return {
    delivery: {
      ...(await handledDelivery(handler, published)),
      stored: stream.state.messages,
      unacked: info.num_ack_pending,
      undelivered: info.num_pending,
      redelivered: info.num_redelivered,
    },
    consumer: {
      name: info.name,
      kind: info.config.deliver_subject ? 'push' : 'pull',
      ackPolicy: info.config.ack_policy,
      maxAckPending: info.config.max_ack_pending ?? Number.NaN,
      ackWaitSeconds: (info.config.ack_wait ?? Number.NaN) / 1e9,
    },
  };
}

/** The transport's one consumer on the benchmark stream. */
async function benchConsumer(manager: JetStreamManager): Promise<ConsumerInfo> {
  const consumers = await manager.consumers.list(BENCH_STREAM.name).next();
  if (consumers.length !== 1) throw new Error(`Expected one consumer on stream ${BENCH_STREAM.name}, found ${consumers.length}`);
  return consumers[0];
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
