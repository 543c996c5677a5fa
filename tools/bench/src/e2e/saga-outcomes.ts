import { connect, NatsConnection } from '@nats-io/transport-node';
import { natsServers } from '@orders/config';
import { OrderCancelled, OrderConfirmed } from '@orders/contracts';
import { waitFor } from '@orders/testing';
import { preciseNow } from '../measure/precise-time';

/**
 * Watches order-service's saga endings as any subscriber would: the `order.confirmed`
 * and `order.cancelled` events on NATS, with the time each was seen.
 */
export class SagaOutcomes {
  readonly confirmedAt = new Map<string, number>();
  readonly cancelledAt = new Map<string, number>();

  private constructor(private readonly connection: NatsConnection) {}

  /** `natsUrl`: one server, or a cluster's servers comma-separated. */
  static async watch(natsUrl: string): Promise<SagaOutcomes> {
    const outcomes = new SagaOutcomes(await connect({ servers: natsServers(natsUrl) }));
    outcomes.record(OrderConfirmed.allVersionsSubject, outcomes.confirmedAt);
    outcomes.record(OrderCancelled.allVersionsSubject, outcomes.cancelledAt);
    await outcomes.connection.flush();
    return outcomes;
  }

  /** Orders confirmed between two moments (ms since the epoch). */
  confirmedBetween(from: number, to: number): number {
    let count = 0;
    for (const at of this.confirmedAt.values()) if (at >= from && at < to) count += 1;
    return count;
  }

  /** Waits until every one of these orders has ended, confirmed or cancelled. */
  async ended(orderIds: Iterable<string>, timeoutMs: number): Promise<void> {
    const waiting = new Set(orderIds);
    await waitFor(
      () => {
        for (const orderId of waiting) if (this.confirmedAt.has(orderId) || this.cancelledAt.has(orderId)) waiting.delete(orderId);
        return waiting.size === 0;
      },
      { timeoutMs, intervalMs: 250, description: `the sagas of ${waiting.size} orders to end` },
    );
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  private record(subject: string, into: Map<string, number>): void {
    this.connection.subscribe(subject, {
      callback: (error, message) => {
        if (error) return;
        const { data } = message.json<{ data: { orderId: string } }>();
        into.set(data.orderId, preciseNow());
      },
    });
  }
}
