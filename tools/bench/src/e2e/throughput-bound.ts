import { PerOrder } from './workload-counts';

export interface ThroughputBound {
  /** Orders/s if Postgres did nothing but the platform's writing transactions, at its measured best rate for a saga step. */
  postgresOrdersPerSecond: number;
  /** Orders/s if JetStream did nothing but the platform's deliveries at its measured best rate. */
  jetStreamOrdersPerSecond: number;
  /** The lower of the two: what this machine's storage and broker allow. */
  ordersPerSecond: number;
  limitedBy: 'postgres' | 'jetstream';
}

/**
 * The machine's orders/s bound from its raw limits and what each order costs. Every writing
 * transaction is counted as a saga step (read-only ones, which need no WAL flush, are left
 * out) and every delivery as a persisted publish + consume: the rate a platform doing exactly
 * this storage and messaging work, with no CPU spent on anything else, could reach.
 */
export function throughputBound(limits: { postgresCommitsPerSecond: number; jetStreamMessagesPerSecond: number }, cost: PerOrder): ThroughputBound {
  if (cost.writeTransactions <= 0 || cost.deliveries <= 0) throw new Error(`An order must cost transactions and deliveries; measured ${JSON.stringify(cost)}`);
  const postgresOrdersPerSecond = round(limits.postgresCommitsPerSecond / cost.writeTransactions);
  const jetStreamOrdersPerSecond = round(limits.jetStreamMessagesPerSecond / cost.deliveries);
  const limitedBy = postgresOrdersPerSecond <= jetStreamOrdersPerSecond ? 'postgres' : 'jetstream';
  return { postgresOrdersPerSecond, jetStreamOrdersPerSecond, ordersPerSecond: Math.min(postgresOrdersPerSecond, jetStreamOrdersPerSecond), limitedBy };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
