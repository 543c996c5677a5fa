import { ManagedProcess, ProcessLogs, waitFor } from '@orders/local-processes';
import { ConsumerInfo, jetstream, jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { startPrivateNatsServer } from '@orders/testing';
import { access, rename } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { CHILD_ENVIRONMENT } from './children/child-runtime';
import { ChildControl } from './control';
import { HandledReport } from './handled-log';
import { BusOptions, Mode } from './options';
import { preciseNow } from '../measure/precise-time';
import { BENCH_EVENT, corePublisher, EventSource, jetStreamPublisher, publishAtRate, Publisher } from './publisher';
import { ConsumerSummary, Delivery, deliveryProblems, Throughput, TransportRun } from './report';
import { Teardown } from './teardown';
import { Transport } from './transports';

export interface RunContext {
  options: BusOptions;
  teardown: Teardown;
  logs: ProcessLogs;
  repositoryRoot: string;
}

const CHILD_STOP_GRACE_MS = 5_000;
const ACK_SETTLE_TIMEOUT_MS = 10_000;
const PROFILER_PRELOAD = resolve(__dirname, '..', 'measure', 'cpu-profiler-preload.cjs');
export const PROFILES_DIRECTORY = join('bench', 'results', 'profiles');

/** What one mode's run of a transport needs, on a private nats-server of its own. */
interface Bench {
  transport: Transport;
  context: RunContext;
  child: ManagedProcess;
  handler: HandlerProgress;
  publisher: Publisher;
}

/** What a mode measured, before the delivery checks. */
interface Measured {
  throughput: Throughput;
  latency?: TransportRun['latency'];
  published: number;
  profile?: string;
}

/**
 * One transport's run in one mode against a private nats-server of its own, ending with
 * the check of every delivery.
 */
export function measureTransport(transport: Transport, mode: Mode, context: RunContext): Promise<TransportRun> {
  const { teardown } = context;
  return teardown.scope(async (hold) => {
    const server = hold(await startPrivateNatsServer(), (started) => started.dispose());
    const connection = hold(await connect({ servers: server.url, name: 'bench-bus-publisher' }), (open) => open.close());
    const manager = await jetstreamManager(connection);
    await transport.prepare?.(manager);
    const child = hold(childProcess(transport, mode, server.url, context), (running) => running.stop('SIGTERM', CHILD_STOP_GRACE_MS));
    const source = new EventSource(transport.frame);
    const bench: Bench = {
      transport,
      context,
      child,
      handler: new HandlerProgress(transport, child, new ChildControl(connection), context.options.timeoutSeconds * 1000),
      publisher: transport.stream ? jetStreamPublisher(jetstream(connection), transport.subject, source) : corePublisher(connection, transport.subject, source),
    };
    const measured = mode === 'concurrent' ? await concurrently(bench) : transport.stream ? await drainBacklog(bench, manager, transport.stream) : await drainBurst(bench);

    const { delivery, consumer } = transport.stream
      ? await jetStreamDelivery(manager, transport.stream, bench.handler, measured.published)
      : { delivery: await handledDelivery(bench.handler, measured.published), consumer: undefined };
    const problems = deliveryProblems(delivery, transport.stream !== undefined);
    if (problems.length > 0) throw new Error(`${transport.label} failed the delivery checks (${mode}): ${problems.join('; ')}`);

    return {
      key: transport.key,
      letter: transport.letter,
      label: transport.label,
      mode,
      eventBytes: source.next().length,
      consumer,
      throughput: measured.throughput,
      ...(measured.latency ? { latency: measured.latency } : {}),
      delivery,
      ...(measured.profile ? { profile: measured.profile } : {}),
    };
  });
}

/** Publishing and consuming at once: throughput as fast as the window allows, then latency at a fixed rate. */
async function concurrently({ handler, publisher, child, context: { options } }: Bench): Promise<Measured> {
  child.start();
  await handler.ready();
  await publisher.burst(options.warmup, options.window);
  await handler.handled(options.warmup);

  await handler.startPhase();
  const firstPublishAt = preciseNow();
  await publisher.burst(options.events, options.window);
  const publishSeconds = (preciseNow() - firstPublishAt) / 1000;
  const lastHandledAt = (await handler.handled(options.events)).phase.lastHandledAt ?? Number.NaN;
  const throughput = throughputOf(options.events, (lastHandledAt - firstPublishAt) / 1000, publishSeconds, 'first publish to last handled');

  await handler.startPhase();
  const achievedRate = await publishAtRate(publisher, options.rate, options.seconds);
  const latency = (await handler.handled(options.rate * options.seconds)).phase.latency;
  return {
    throughput,
    latency: { ...latency, ratePerSecond: options.rate, seconds: options.seconds, achievedRatePerSecond: Math.round(achievedRate) },
    published: options.warmup + options.events + options.rate * options.seconds,
  };
}

/**
 * A JetStream consumer started on a backlog: the child runs once to create its stream and
 * durable consumer and stops; the warm-up and measured events are published with no
 * consumer running; the child starts again and works through them. Timed from its
 * warm-up-th handled event to its last, so neither its start nor cold code counts.
 */
async function drainBacklog({ handler, publisher, child, transport, context }: Bench, manager: JetStreamManager, stream: string): Promise<Measured> {
  const { options } = context;
  child.start();
  await handler.ready();
  await child.stop('SIGTERM', CHILD_STOP_GRACE_MS);

  const backlog = options.warmup + options.events;
  const firstPublishAt = preciseNow();
  await publisher.burst(backlog, options.window);
  const publishSeconds = (preciseNow() - firstPublishAt) / 1000;
  const waiting = await benchConsumer(manager, stream);
  if (waiting.num_pending !== backlog || waiting.delivered.stream_seq !== 0) {
    throw new Error(
      `${transport.label}: expected ${backlog} events waiting for a consumer that has seen none, found ${waiting.num_pending} waiting and ${waiting.delivered.stream_seq} delivered`,
    );
  }

  child.start();
  await handler.ready();
  // The profiler starts once the child answers: by then its transport is up and the first events may be handled, none of the measured ones.
  if (options.profile) child.signal('SIGWINCH');
  const { phase } = await handler.handled(backlog);
  const profile = options.profile ? await stopProfiler(child, context.repositoryRoot) : undefined;
  const seconds = ((phase.lastHandledAt ?? Number.NaN) - (phase.markedAt ?? Number.NaN)) / 1000;
  return { throughput: throughputOf(options.events, seconds, publishSeconds, 'backlog in the stream, warm-up-th to last handled'), published: backlog, profile };
}

/**
 * Core NATS keeps no backlog, so its drain is the nearest thing: the warm-up and measured
 * events published to the running subscriber all at once, unpaced, and timed the same way
 * (warm-up-th handled to last). The server and the subscriber's socket buffer them, so the
 * handler, not the publisher, sets the pace, though the two share the CPU while publishing.
 */
async function drainBurst({ handler, publisher, child, context: { options } }: Bench): Promise<Measured> {
  child.start();
  await handler.ready();
  await publisher.burst(options.warmup, options.window);
  await handler.handled(options.warmup);

  const backlog = options.warmup + options.events;
  await handler.startPhase(options.warmup);
  const firstPublishAt = preciseNow();
  await publisher.burst(backlog, backlog);
  const publishSeconds = (preciseNow() - firstPublishAt) / 1000;
  const { phase } = await handler.handled(backlog);
  const seconds = ((phase.lastHandledAt ?? Number.NaN) - (phase.markedAt ?? Number.NaN)) / 1000;
  return { throughput: throughputOf(options.events, seconds, publishSeconds, 'burst to the running subscriber, warm-up-th to last handled'), published: options.warmup + backlog };
}

function throughputOf(events: number, seconds: number, publishSeconds: number, timed: string): Throughput {
  return { events, seconds: round(seconds, 3), eventsPerSecond: Math.round(events / seconds), publishSeconds: round(publishSeconds, 3), timed };
}

/** Stops the child's profiler and waits for the profile it writes, named after its pid. */
async function stopProfiler(child: ManagedProcess, repositoryRoot: string): Promise<string> {
  const path = join(PROFILES_DIRECTORY, `${child.name}-${child.pid}.cpuprofile`);
  const written = join(repositoryRoot, PROFILES_DIRECTORY, `${child.pid}.cpuprofile`);
  child.signal('SIGWINCH');
  await waitFor(() => access(written).then(() => true), { description: `the CPU profile of ${child.name}`, timeoutMs: 30_000 });
  // The preload writes the file in one call; a rename after it keeps the transport's name with the profile.
  await rename(written, join(repositoryRoot, path));
  return path;
}

function childProcess(transport: Transport, mode: Mode, natsUrl: string, { repositoryRoot, logs, options }: RunContext): ManagedProcess {
  const profiled = options.profile && mode === 'drain' && transport.stream !== undefined;
  return new ManagedProcess(
    {
      name: `bench-bus-${transport.key}-${mode}`,
      command: process.execPath,
      args: ['--enable-source-maps', '-r', './tools/register.cjs', ...(profiled ? ['-r', PROFILER_PRELOAD] : []), relative(repositoryRoot, transport.entry)],
      cwd: repositoryRoot,
      env: {
        ...process.env,
        [CHILD_ENVIRONMENT.natsUrl]: natsUrl,
        [CHILD_ENVIRONMENT.subject]: BENCH_EVENT.subject,
        // Only a drain's child counts from its start; the others are told per phase.
        [CHILD_ENVIRONMENT.markAfter]: String(mode === 'drain' ? options.warmup : 0),
        ...(profiled ? { BENCH_CPU_PROFILE_DIR: join(repositoryRoot, PROFILES_DIRECTORY) } : {}),
      },
    },
    logs,
  );
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

  startPhase(markAfter = 0): Promise<void> {
    return this.control.startPhase(markAfter);
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
async function jetStreamDelivery(
  manager: JetStreamManager,
  stream: string,
  handler: HandlerProgress,
  published: number,
): Promise<{ delivery: Delivery; consumer: ConsumerSummary }> {
  const settled = async (): Promise<boolean> => {
    const info = await benchConsumer(manager, stream);
    return info.num_ack_pending === 0 && info.num_pending === 0;
  };
  // On a timeout the delivery checks below say what is missing.
  await waitFor(settled, { description: 'every message to be acked', timeoutMs: ACK_SETTLE_TIMEOUT_MS }).catch(() => undefined);
  const info = await benchConsumer(manager, stream);
  const { state } = await manager.streams.info(stream);
  return {
    delivery: {
      ...(await handledDelivery(handler, published)),
      // What the stream took in: a work-queue stream removes what was acked, so what it still holds would not say.
      stored: state.last_seq,
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

/** The transport's one consumer on the stream it consumes from. */
async function benchConsumer(manager: JetStreamManager, stream: string): Promise<ConsumerInfo> {
  const consumers = await manager.consumers.list(stream).next();
  if (consumers.length !== 1) throw new Error(`Expected one consumer on stream ${stream}, found ${consumers.length}`);
  return consumers[0];
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
