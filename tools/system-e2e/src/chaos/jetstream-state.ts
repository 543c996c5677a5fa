import { jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { natsServers } from '@orders/config';
import { STREAMS } from '@orders/contracts';

/** A durable consumer as JetStream sees it. */
export interface ConsumerSnapshot {
  stream: string;
  name: string;
  /** Messages in the stream not delivered to it yet. */
  numPending: number;
  /** Delivered, not acknowledged yet: being handled, or waiting for a redelivery. */
  numAckPending: number;
  /** Deliveries so far, redeliveries included (`delivered.consumer_seq`). */
  deliveries: number;
  /** Messages in the stream on the consumer's subject: what one delivery each would add up to. */
  messages: number;
}

/**
 * A short-lived connection per look, so a look never depends on a connection that lived through a NATS
 * restart; to any node of a cluster (`natsUrl` lists them all).
 */
export async function withJetStream<T>(natsUrl: string, work: (jsm: JetStreamManager, connection: NatsConnection) => Promise<T>): Promise<T> {
  const connection = await connect({ servers: natsServers(natsUrl), reconnect: false, timeout: 5_000 });
  try {
    return await work(await jetstreamManager(connection, { timeout: 5_000 }), connection);
  } finally {
    await connection.close();
  }
}

/** Every durable consumer of the event streams, with its backlog and how often it was delivered to. */
export function readConsumers(natsUrl: string): Promise<ConsumerSnapshot[]> {
  return withJetStream(natsUrl, async (jsm) => {
    const consumers: ConsumerSnapshot[] = [];
    for (const { name: stream } of STREAMS) {
      for await (const info of jsm.consumers.list(stream)) {
        // Ephemeral consumers (e.g. one reading a stream for a check) are nobody's backlog.
        if (!info.config.durable_name) continue;
        const filter = info.config.filter_subject ?? '>';
        const { state } = await jsm.streams.info(stream, { subjects_filter: filter });
        const messages = Object.values(state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
        consumers.push({ stream, name: info.name, numPending: info.num_pending, numAckPending: info.num_ack_pending, deliveries: info.delivered.consumer_seq, messages });
      }
    }
    return consumers;
  });
}

/**
 * Deliveries beyond the first of each message, over every consumer. Counted from
 * JetStream's own records, which survive the apps being killed (their handled-message
 * metrics do not); exact once every consumer has caught up (nothing pending).
 */
export function redeliveries(consumers: readonly ConsumerSnapshot[]): number {
  return consumers.reduce((sum, consumer) => sum + Math.max(0, consumer.deliveries - consumer.messages), 0);
}
