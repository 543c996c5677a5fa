import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { natsServers } from '@orders/config';
import { eventStreamSettings } from '@orders/messaging';
import { randomUUID } from 'node:crypto';

export interface JetStreamLimit {
  messages: number;
  /** Servers keeping a copy of the stream: 1 on one server, 3 on a cluster as the platform's streams. */
  streamReplicas: number;
  /** Messages persisted by the server, delivered to a durable pull consumer and acked, per second. */
  messagesPerSecond: number;
}

const STREAM = { name: 'BENCH_RAW', context: 'bench', subjects: ['bench.raw.>'] };
const PAYLOAD_BYTES = 600;

/**
 * JetStream's limit on this machine for what every saga event costs: a persisted publish
 * (file storage, de-duplication by Nats-Msg-Id, the services' own stream settings) that a
 * durable pull consumer receives and acks. Publishing and consuming run at once in one
 * process, with `window` publishes awaiting their acknowledgement at any time. On a cluster
 * (`natsUrl` lists its servers) the stream has `streamReplicas` copies, as the platform's do.
 */
export async function measureJetStreamLimit(natsUrl: string, options: { messages: number; window: number; streamReplicas: number }): Promise<JetStreamLimit> {
  const connection = await connect({ servers: natsServers(natsUrl) });
  const manager = await jetstreamManager(connection);
  try {
    await manager.streams.add({ ...eventStreamSettings(STREAM), num_replicas: options.streamReplicas });
    await manager.consumers.add(STREAM.name, { durable_name: 'bench-raw', ack_policy: AckPolicy.Explicit, filter_subject: 'bench.raw.>' });
    const client = jetstream(connection);
    const payload = new TextEncoder().encode(JSON.stringify({ padding: 'x'.repeat(PAYLOAD_BYTES) }));

    const started = performance.now();
    const consumed = (async () => {
      const messages = await (await client.consumers.get(STREAM.name, 'bench-raw')).consume({ max_messages: 256 });
      let received = 0;
      for await (const message of messages) {
        message.ack();
        received += 1;
        if (received === options.messages) break;
      }
    })();
    const inFlight = new Set<Promise<unknown>>();
    for (let sent = 0; sent < options.messages; sent += 1) {
      const published = client.publish('bench.raw.event', payload, { msgID: randomUUID() }).finally(() => inFlight.delete(published));
      inFlight.add(published);
      if (inFlight.size >= options.window) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    await consumed;
    const seconds = (performance.now() - started) / 1000;
    return { messages: options.messages, streamReplicas: options.streamReplicas, messagesPerSecond: Math.round(options.messages / seconds) };
  } finally {
    await manager.streams.delete(STREAM.name).catch(() => undefined);
    await connection.close();
  }
}
