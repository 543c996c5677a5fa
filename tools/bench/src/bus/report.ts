import type { LatencySummary } from '../measure/latency';
import type { Machine } from '../measure/machine';
import { formatTable } from '../measure/table';
import type { BusOptions } from './options';

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

export interface TransportResult {
  key: string;
  letter: 'a' | 'b' | 'c';
  label: string;
  notes: string;
  /** One event as published, framing included. */
  eventBytes: number;
  /** The JetStream consumer as the server has it configured. */
  consumer?: ConsumerSummary;
  throughput: { events: number; seconds: number; eventsPerSecond: number; publishSeconds: number };
  latency: LatencySummary & { ratePerSecond: number; seconds: number; achievedRatePerSecond: number };
  delivery: Delivery;
}

type Pair = 'a/b' | 'a/c';
export interface Ratios {
  eventsPerSecond: Partial<Record<Pair, number>>;
  p99: Partial<Record<Pair, number>>;
}

export interface BusReport {
  machine: Machine;
  parameters: Omit<BusOptions, 'out' | 'timeoutSeconds'> & { event: string; stream: Record<string, unknown> };
  results: TransportResult[];
  ratios: Ratios;
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

/** Ours (a) against the others: above 1 means ours handles more events per second, or has the higher p99. */
export function ratiosOf(results: readonly TransportResult[]): Ratios {
  const byLetter = new Map(results.map((result) => [result.letter, result]));
  const ours = byLetter.get('a');
  const ratios: Ratios = { eventsPerSecond: {}, p99: {} };
  for (const [pair, other] of [
    ['a/b', byLetter.get('b')],
    ['a/c', byLetter.get('c')],
  ] as const) {
    if (!ours || !other) continue;
    ratios.eventsPerSecond[pair] = ratio(ours.throughput.eventsPerSecond, other.throughput.eventsPerSecond);
    ratios.p99[pair] = ratio(ours.latency.p99, other.latency.p99);
  }
  return ratios;
}

function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? Math.round((numerator / denominator) * 100) / 100 : Number.POSITIVE_INFINITY;
}

export function formatReport(report: BusReport): string {
  const { machine, parameters, results, ratios } = report;
  const table = formatTable(
    ['transport', 'events/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    results.map(({ label, throughput, latency }) => [label, throughput.eventsPerSecond, ...[latency.p50, latency.p95, latency.p99, latency.max].map((ms) => ms.toFixed(1))]),
  );
  const ratioLines = (['a/b', 'a/c'] as const)
    .filter((pair) => ratios.eventsPerSecond[pair] !== undefined)
    .map((pair) => `  ${pair}: events/s ${ratios.eventsPerSecond[pair]}x, p99 ${ratios.p99[pair]}x`);
  return [
    `Event-bus microbenchmark, ${machine.date}`,
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; node ${machine.node}; ${machine.natsServer}`,
    `Event: ${parameters.event} (${results.map((result) => `${result.letter}: ${result.eventBytes}`).join(', ')} bytes), published by the bench process to a private nats-server per transport (JetStream on, fresh store)`,
    `Throughput: ${parameters.events} events after ${parameters.warmup} warm-up, at most ${parameters.window} publishes unconfirmed; ` +
      `events/s = events / (first publish to last handled)`,
    `Latency: ${parameters.rate} events/s for ${parameters.seconds} s; handler time minus the publish time stamped into the event (hdr-histogram-js)`,
    '',
    table,
    '',
    ...(ratioLines.length > 0 ? ['Ratios (ours / other; events/s above 1 = ours faster, p99 above 1 = ours slower):', ...ratioLines, ''] : []),
    'How each transport consumed:',
    ...results.flatMap((result) => [`  ${result.label}: ${result.notes}`, ...(result.consumer ? [`      consumer: ${describeConsumer(result.consumer)}`] : [])]),
    `  Stream for the JetStream transports: ${describeStream(parameters.stream)}`,
    '',
    'Delivery checks passed: every event handled, exactly once for the JetStream transports, all acked.',
    ...results.map(
      ({ label, throughput, latency }) =>
        `  ${label}: throughput phase published in ${throughput.publishSeconds} s, all handled after ${throughput.seconds} s; ` +
        `latency phase published at ${latency.achievedRatePerSecond} events/s`,
    ),
  ].join('\n');
}

function describeConsumer(consumer: ConsumerSummary): string {
  return `${consumer.name}, ${consumer.kind}, ack ${consumer.ackPolicy}, max_ack_pending ${consumer.maxAckPending}, ack_wait ${consumer.ackWaitSeconds} s`;
}

function describeStream(stream: Record<string, unknown>): string {
  return Object.entries(stream)
    .map(([name, value]) => `${name} ${Array.isArray(value) ? value.join(' ') : String(value)}`)
    .join(', ');
}
