import { JetStreamClient } from '@nats-io/jetstream';
import { NatsConnection } from '@nats-io/transport-node';
import { EventEnvelope, InventoryCommitted } from '@orders/contracts';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { preciseNow, toPreciseIso } from '../measure/precise-time';

/** The catalogue event with the smallest payload (two ids): the transports, not the payload, should dominate. */
export const BENCH_EVENT = InventoryCommitted;

/** How a transport expects an event on the wire. */
export type Framing = (envelope: EventEnvelope) => unknown;

/**
 * A valid `inventory.committed` envelope per call, stamped with the moment it is built,
 * i.e. published, and framed for the transport (as is, by default).
 */
export class EventSource {
  private readonly template: EventEnvelope = BENCH_EVENT.create({ orderId: randomUUID(), reservationId: randomUUID() }, { correlationId: 'bench-bus' });
  private readonly encoder = new TextEncoder();

  constructor(private readonly frame: Framing = (envelope) => envelope) {}

  next(): Uint8Array {
    return this.encoder.encode(JSON.stringify(this.frame({ ...this.template, id: randomUUID(), occurredAt: toPreciseIso(preciseNow()) })));
  }
}

/** Publishes to the subject under test, as a JetStream publish (awaiting the server's ack) or a core one. */
export interface Publisher {
  /** Publishes `count` events as fast as it can with at most `window` unconfirmed at any time. */
  burst(count: number, window: number): Promise<void>;
  /** Publishes one event without waiting for it to be confirmed. */
  publish(): void;
  /** Resolves once everything published so far is confirmed, rejecting if anything failed. */
  settle(): Promise<void>;
}

export function jetStreamPublisher(client: JetStreamClient, subject: string, source: EventSource): Publisher {
  const unconfirmed = new Set<Promise<unknown>>();
  return {
    async burst(count, window) {
      let remaining = count;
      const lane = async (): Promise<void> => {
        while (remaining > 0) {
          remaining -= 1;
          await client.publish(subject, source.next());
        }
      };
      await Promise.all(Array.from({ length: Math.min(window, count) }, lane));
    },
    publish() {
      const published = client.publish(subject, source.next());
      unconfirmed.add(published);
      // Failures surface in settle(); this only keeps the set small.
      published.then(
        () => unconfirmed.delete(published),
        () => undefined,
      );
    },
    async settle() {
      await Promise.all(unconfirmed);
    },
  };
}

/** Core publishes are confirmed by a flush: the server has read everything sent before it. */
export function corePublisher(connection: NatsConnection, subject: string, source: EventSource): Publisher {
  return {
    async burst(count, window) {
      for (let sent = 0; sent < count;) {
        const batch = Math.min(window, count - sent);
        for (let index = 0; index < batch; index += 1) connection.publish(subject, source.next());
        sent += batch;
        await connection.flush();
      }
    },
    publish() {
      connection.publish(subject, source.next());
    },
    settle: () => connection.flush(),
  };
}

/** How many events should have been published `elapsedMs` into a paced run. */
export function eventsDue(elapsedMs: number, ratePerSecond: number, total: number): number {
  return Math.min(total, Math.floor((elapsedMs * ratePerSecond) / 1000) + 1);
}

/**
 * Publishes `ratePerSecond` events for `seconds`, catching up on every timer tick with
 * whatever is due, and returns the rate achieved (lower when the publisher fell behind).
 */
export async function publishAtRate(publisher: Publisher, ratePerSecond: number, seconds: number): Promise<number> {
  const total = ratePerSecond * seconds;
  const started = performance.now();
  for (let sent = 0; sent < total;) {
    const due = eventsDue(performance.now() - started, ratePerSecond, total);
    for (; sent < due; sent += 1) publisher.publish();
    if (sent < total) await sleep(1);
  }
  await publisher.settle();
  return total / ((performance.now() - started) / 1000);
}
