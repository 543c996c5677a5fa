import type { TimeShare } from '../measure/cpu-profile';
import type { LatencySummary } from '../measure/latency';
import type { Machine } from '../measure/machine';
import { formatTable } from '../measure/table';
import type { BusOptions, Mode } from './options';
import type { TransportLetter } from './transports';

export interface ConsumerSummary {
  name: string;
  kind: 'pull' | 'push';
  ackPolicy: string;
  maxAckPending: number;
  ackWaitSeconds: number;
}

/** What became of every event published during a transport's run. */
export interface Delivery {
  published: number;
  handled: number;
  distinct: number;
  /** JetStream transports only: messages in the stream, and those its consumers still wait to see acked or delivered. */
  stored?: number;
  unacked?: number;
  undelivered?: number;
  redelivered?: number;
}

export interface Throughput {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** How long publishing the events took; in a drain, publishing them all before the consumer started. */
  publishSeconds: number;
  /** What `seconds` spans. */
  timed: string;
}

/** A transport as the report introduces it, once for both modes. */
export interface TransportDescription {
  key: string;
  letter: TransportLetter;
  label: string;
  notes: string;
}

/** One transport's run in one mode. */
export interface TransportRun {
  key: string;
  letter: TransportLetter;
  label: string;
  mode: Mode;
  /** One event as published, framing included. */
  eventBytes: number;
  /** The JetStream consumer as the server has it configured. */
  consumer?: ConsumerSummary;
  throughput: Throughput;
  /** The concurrent mode's paced phase; a drain has no publish-to-handler latency worth the name. */
  latency?: LatencySummary & { ratePerSecond: number; seconds: number; achievedRatePerSecond: number };
  delivery: Delivery;
  /** With --profile: the V8 CPU profile of the drain, relative to the repository root. */
  profile?: string;
}

/**
 * Ours (a) over each other transport, and over the best JetStream peer of the mode: the
 * one with the most events/s for the events/s ratio, the lowest p99 for the p99 one.
 */
export interface ModeRatios {
  eventsPerSecond: Partial<Record<Pair, number>>;
  p99: Partial<Record<Pair, number>>;
  bestJetStreamPeer: { eventsPerSecond?: TransportLetter; p99?: TransportLetter };
}
type Pair = 'a/b' | 'a/best JetStream peer' | 'a/c';
const PAIRS: readonly Pair[] = ['a/b', 'a/best JetStream peer', 'a/c'];
/** The other JetStream transports; a peer added to the bench joins here and in `Pair`. */
const JETSTREAM_PEERS: readonly TransportLetter[] = ['b'];

export interface BusReport {
  machine: Machine;
  parameters: Omit<BusOptions, 'out' | 'timeoutSeconds' | 'profile'> & { event: string; stream: Record<string, unknown> };
  transports: TransportDescription[];
  runs: Partial<Record<Mode, TransportRun[]>>;
  ratios: Partial<Record<Mode, ModeRatios>>;
  /** With --profile: where each profiled drain spent its CPU time, by package or project. */
  profiles?: Record<string, TimeShare[]>;
}

/** Why a run's deliveries are not what a correct transport delivers; empty when they are. */
export function deliveryProblems(delivery: Delivery, persistent: boolean): string[] {
  const problems: string[] = [];
  const { published, handled, distinct } = delivery;
  if (distinct < published) problems.push(`${published - distinct} of ${published} events were never handled`);
  if (distinct > published) problems.push(`${distinct - published} events were handled that the bench did not publish`);
  if (persistent && handled > distinct) problems.push(`${handled - distinct} events were handled more than once`);
  if (!persistent) return problems;
  if (delivery.stored !== published) problems.push(`the stream holds ${delivery.stored ?? 'no'} messages, ${published} were published`);
  if (delivery.unacked) problems.push(`${delivery.unacked} messages are delivered but not acked`);
  if (delivery.undelivered) problems.push(`${delivery.undelivered} messages were never delivered to the consumer`);
  return problems;
}

/** Above 1: ours handles more events per second, or has the higher p99. */
export function ratiosOf(runs: readonly TransportRun[]): ModeRatios {
  const byLetter = new Map(runs.map((run) => [run.letter, run]));
  const ours = byLetter.get('a');
  const peers = JETSTREAM_PEERS.flatMap((letter) => byLetter.get(letter) ?? []);
  const fastest = [...peers].sort((x, y) => y.throughput.eventsPerSecond - x.throughput.eventsPerSecond)[0];
  const latencies = peers.filter((peer) => peer.latency);
  const steadiest = [...latencies].sort((x, y) => (x.latency?.p99 ?? 0) - (y.latency?.p99 ?? 0))[0];
  const ratios: ModeRatios = { eventsPerSecond: {}, p99: {}, bestJetStreamPeer: { eventsPerSecond: fastest?.letter, p99: steadiest?.letter } };
  if (!ours) return ratios;
  const against: Record<Pair, [TransportRun | undefined, TransportRun | undefined]> = {
    'a/b': [byLetter.get('b'), byLetter.get('b')],
    'a/best JetStream peer': [fastest, steadiest],
    'a/c': [byLetter.get('c'), byLetter.get('c')],
  };
  for (const pair of PAIRS) {
    const [throughputPeer, latencyPeer] = against[pair];
    if (throughputPeer) ratios.eventsPerSecond[pair] = ratio(ours.throughput.eventsPerSecond, throughputPeer.throughput.eventsPerSecond);
    if (ours.latency && latencyPeer?.latency) ratios.p99[pair] = ratio(ours.latency.p99, latencyPeer.latency.p99);
  }
  return ratios;
}

function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? Math.round((numerator / denominator) * 100) / 100 : Number.POSITIVE_INFINITY;
}

export function formatReport(report: BusReport): string {
  const { machine, parameters, transports, runs, ratios, profiles } = report;
  const drain = runs.drain ?? [];
  const concurrent = runs.concurrent ?? [];
  const all = [...drain, ...concurrent];
  const sizes = new Map(all.map((run) => [run.letter, run.eventBytes]));
  return [
    `Event-bus microbenchmark, ${machine.date}`,
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; node ${machine.node}; ${machine.natsServer}`,
    `Event: ${parameters.event} (${[...sizes].map(([letter, bytes]) => `${letter}: ${bytes}`).join(', ')} bytes), published by the bench process to a private nats-server per transport and mode (JetStream on, fresh store)`,
    ...(drain.length > 0
      ? [
          '',
          `Drain: ${parameters.warmup} warm-up + ${parameters.events} events waiting in the stream before the consumer starts (core NATS: published to the running subscriber at once); ` +
            `events/s = ${parameters.events} / (warm-up-th handled to last handled)`,
          '',
          formatTable(
            ['transport', 'events/s', 'seconds', 'published in s'],
            drain.map(({ label, throughput }) => [label, throughput.eventsPerSecond, throughput.seconds.toFixed(3), throughput.publishSeconds.toFixed(3)]),
          ),
          ...ratioLines(ratios.drain),
        ]
      : []),
    ...(concurrent.length > 0
      ? [
          '',
          `Concurrent: ${parameters.events} events published while the consumer runs, after ${parameters.warmup} warm-up, at most ${parameters.window} publishes unconfirmed; ` +
            'events/s = events / (first publish to last handled)',
          `Latency: ${parameters.rate} events/s for ${parameters.seconds} s; handler time minus the publish time stamped into the event (hdr-histogram-js)`,
          '',
          formatTable(
            ['transport', 'events/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
            concurrent.map(({ label, throughput, latency }) => [
              label,
              throughput.eventsPerSecond,
              ...(latency ? [latency.p50, latency.p95, latency.p99, latency.max].map((ms) => ms.toFixed(1)) : ['-', '-', '-', '-']),
            ]),
          ),
          ...ratioLines(ratios.concurrent),
        ]
      : []),
    '',
    'How each transport consumed:',
    ...transports.flatMap((transport) => {
      const consumer = all.find((run) => run.letter === transport.letter)?.consumer;
      return [`  ${transport.label}: ${transport.notes}`, ...(consumer ? [`      consumer: ${describeConsumer(consumer)}`] : [])];
    }),
    `  Stream for (a) and (b): ${describeStream(parameters.stream)}`,
    '',
    'Delivery checks passed: every event handled, exactly once for the JetStream transports, all acked.',
    ...all.map(
      ({ label, mode, throughput, latency }) =>
        `  ${label}, ${mode}: events published in ${throughput.publishSeconds} s, timed ${throughput.timed}` +
        (latency ? `; latency phase published at ${latency.achievedRatePerSecond} events/s` : ''),
    ),
    ...(profiles
      ? [
          '',
          'CPU time of the profiled drains, by package or project:',
          ...Object.entries(profiles).map(([name, shares]) => `  ${name}: ${shares.map(({ where, percent }) => `${where} ${percent} %`).join(', ')}`),
        ]
      : []),
  ].join('\n');
}

function ratioLines(ratios: ModeRatios | undefined): string[] {
  if (!ratios) return [];
  const best = ratios.bestJetStreamPeer;
  const lines = PAIRS.filter((pair) => ratios.eventsPerSecond[pair] !== undefined).map((pair) => {
    const peer = pair === 'a/best JetStream peer' ? ` (${best.eventsPerSecond}${ratios.p99[pair] !== undefined ? `; p99 against ${best.p99}` : ''})` : '';
    const p99 = ratios.p99[pair] !== undefined ? `, p99 ${ratios.p99[pair]}x` : '';
    return `  ${pair}${peer}: events/s ${ratios.eventsPerSecond[pair]}x${p99}`;
  });
  return lines.length > 0 ? ['', 'Ratios (ours / other; events/s above 1 = ours faster, p99 above 1 = ours slower):', ...lines] : [];
}

function describeConsumer(consumer: ConsumerSummary): string {
  return `${consumer.name}, ${consumer.kind}, ack ${consumer.ackPolicy}, max_ack_pending ${consumer.maxAckPending}, ack_wait ${consumer.ackWaitSeconds} s`;
}

function describeStream(stream: Record<string, unknown>): string {
  return Object.entries(stream)
    .map(([name, value]) => `${name} ${Array.isArray(value) ? value.join(' ') : String(value)}`)
    .join(', ');
}
