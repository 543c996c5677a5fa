import { JetStreamApiError, JetStreamManager, StorageType, StreamConfig } from '@nats-io/jetstream';
import { StreamDefinition } from '@orders/contracts';

/** Stream settings shared by every context; replicas come from the environment (3 in a cluster). */
export function streamConfig(stream: StreamDefinition): Partial<StreamConfig> & { name: string } {
  return {
    name: stream.name,
    subjects: stream.subjects,
    storage: StorageType.File,
    num_replicas: Number(process.env.NATS_STREAM_REPLICAS ?? 1),
    // The window in which JetStream drops a re-published event with the same Nats-Msg-Id.
    duplicate_window: 2 * 60 * 1_000_000_000,
    max_age: 7 * 24 * 60 * 60 * 1_000_000_000,
  };
}

export async function ensureStreams(jsm: JetStreamManager, streams: readonly StreamDefinition[]): Promise<void> {
  for (const stream of streams) {
    const config = streamConfig(stream);
    try {
      await jsm.streams.info(stream.name);
      await jsm.streams.update(stream.name, config);
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.status !== 404) throw error;
      await jsm.streams.add(config);
    }
  }
}
