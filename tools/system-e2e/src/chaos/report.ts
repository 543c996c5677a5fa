import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CompensationRate } from './compensation-rate';
import { ChaosConfig, ChaosTopology } from './config';
import { groupDeadLetters } from './dead-letters';
import { FaultKind, InjectedFault } from './fault-injector';
import { InvariantResult, Violation } from './invariants';
import { MixKind } from './order-mix';

export interface OrderCounts {
  /** Idempotency-Keys used: one per order the clients meant to place. */
  placed: number;
  /** Requests sent, first sends of duplicates included (retries not). */
  requests: number;
  duplicatesSent: number;
  accepted: number;
  /** Keys answered with anything but 202 (each one a violation). */
  refused: number;
  /** Keys the client never learned the outcome of. */
  unknown: number;
  /** Of those, the ones order-service did store (they are checked like the rest). */
  unknownButStored: number;
  confirmed: number;
  cancelled: number;
  cancelledByReason: Record<string, number>;
  byKind: Record<MixKind, number>;
  cancelsSent: number;
}

/** An invariant as checked at one point: how much it looked at and what it found. */
export interface InvariantCheck {
  name: string;
  checked: number;
  violations: number;
  /** Before the replay: violations about an order a dead letter was holding up. */
  awaitingReplay?: number;
}

export interface ChaosSummary {
  seed: number;
  topology: { name: ChaosTopology; replicas: number; natsCluster: number };
  config: Omit<ChaosConfig, 'output'>;
  loadSeconds: number;
  orders: OrderCounts;
  clientRetries: number;
  /** Per kind the topology injects. */
  faults: Partial<Record<FaultKind, number>>;
  faultLog: InjectedFault[];
  quiescenceSeconds: { beforeReplay?: number; afterReplay?: number };
  /** Deliveries beyond each message's first, from JetStream's consumer records (see jetstream-state.ts). */
  redeliveries?: number;
  redeliveriesByConsumer?: Record<string, number>;
  deadLetters: {
    beforeReplay: number;
    /** PENDING orders that only the replay could move on. */
    heldUpOrders?: number;
    groups: ReturnType<typeof groupDeadLetters>;
    afterReplay?: number;
  };
  /** Events checked for causal order (their cause is in a stream), and events caused by a request or a timer. */
  causalOrder?: { checked: number; uncaused: number };
  /** Per provider, the distinct compensations it received and in its busiest second. */
  compensationRates?: CompensationRate[];
  invariants: { beforeReplay: InvariantCheck[]; afterReplay: InvariantCheck[] };
  /** What makes the run fail; it passes only with none. */
  violations: Violation[];
  /** Per order a violation is about (the first few): what was asked, recorded and logged. */
  evidence: Record<string, string[]>;
}

export function invariantChecks(results: readonly InvariantResult[], awaitingReplay?: (violation: Violation) => boolean): InvariantCheck[] {
  return results.map((result) => ({
    name: result.name,
    checked: result.checked,
    violations: result.violations.filter((violation) => !awaitingReplay?.(violation)).length,
    ...(awaitingReplay ? { awaitingReplay: result.violations.filter(awaitingReplay).length } : {}),
  }));
}

const VIOLATIONS_PRINTED = 50;

export function formatSummary(summary: ChaosSummary): string {
  const { orders } = summary;
  const pairs = (record: Partial<Record<string, number>>) =>
    Object.entries(record)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ');
  const invariantLines = (checks: InvariantCheck[]) =>
    checks.map(
      (check) =>
        `  ${check.violations === 0 ? 'ok  ' : 'FAIL'} ${check.name.padEnd(26)} checked ${String(check.checked).padStart(6)}, violations ${check.violations}${check.awaitingReplay ? `, awaiting replay ${check.awaitingReplay}` : ''}`,
    );
  const lines = [
    '=== chaos summary ===',
    `seed ${summary.seed}; ${summary.topology.name} topology (${summary.topology.replicas} replica(s) of every app, ${summary.topology.natsCluster} NATS node(s)); ${summary.loadSeconds} s of load at ${summary.config.ratePerSecond} orders/s`,
    `orders: placed ${orders.placed} (requests ${orders.requests}, duplicates sent ${orders.duplicatesSent}, cancels sent ${orders.cancelsSent}), accepted ${orders.accepted}, refused ${orders.refused}, confirmed ${orders.confirmed}, cancelled ${orders.cancelled}, unknown ${orders.unknown} (stored ${orders.unknownButStored})`,
    `cancelled by reason: ${pairs(orders.cancelledByReason) || 'none'}`,
    `mix: ${pairs(orders.byKind)}`,
    `client retries (same Idempotency-Key): ${summary.clientRetries}`,
    `faults injected: ${pairs(summary.faults)}`,
    `quiescence: ${summary.quiescenceSeconds.beforeReplay ?? '-'} s after the load, ${summary.quiescenceSeconds.afterReplay ?? '-'} s after the replay`,
    `redeliveries (JetStream deliveries beyond each message's first): ${summary.redeliveries ?? '-'}${summary.redeliveriesByConsumer ? ` (${pairs(summary.redeliveriesByConsumer)})` : ''}`,
    `dead letters before replay: ${summary.deadLetters.beforeReplay} (holding up ${summary.deadLetters.heldUpOrders ?? '-'} PENDING order(s)); after replay: ${summary.deadLetters.afterReplay ?? '-'}`,
    ...summary.deadLetters.groups.map((group) => `  ${group.count} × ${group.service} ${group.consumer} ${group.subject} (${group.kind}): ${group.example.slice(0, 200)}`),
    `causal order: ${summary.causalOrder ? `${summary.causalOrder.checked} event(s) checked against their cause, ${summary.causalOrder.uncaused} caused from outside the streams` : '-'}`,
    `compensations: ${summary.compensationRates?.map((rate) => `${rate.simulator} ${rate.operations}, busiest second ${rate.busiestSecond} (at most ${rate.allowed})`).join('; ') ?? '-'}`,
    'invariants before the replay:',
    ...invariantLines(summary.invariants.beforeReplay),
    'invariants after the replay, with the dead-letter queue empty:',
    ...invariantLines(summary.invariants.afterReplay),
    `VIOLATIONS: ${summary.violations.length}`,
    ...summary.violations.slice(0, VIOLATIONS_PRINTED).map((violation) => `  [${violation.invariant}] ${violation.subject}: ${violation.detail}`),
    ...(summary.violations.length > VIOLATIONS_PRINTED ? [`  ... and ${summary.violations.length - VIOLATIONS_PRINTED} more (all in the JSON summary)`] : []),
    ...Object.entries(summary.evidence).flatMap(([orderId, lines]) => [`--- evidence for order ${orderId}:`, ...lines.map((line) => `  ${line}`)]),
  ];
  return lines.join('\n');
}

export async function writeSummary(file: string, summary: ChaosSummary): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(summary, null, 2)}\n`);
}
