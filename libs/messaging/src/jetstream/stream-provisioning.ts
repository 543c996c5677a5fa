import { JetStreamApiError, JetStreamManager, StorageType, StreamConfig } from '@nats-io/jetstream';
import { StreamDefinition } from '@orders/contracts';
import { loadConfig } from '@orders/config';
import { z } from 'zod';
import { DEAD_LETTER_STREAM, deadLetterFilter } from '../dead-letters/dead-letter-stream';

export type StreamSettings = Partial<StreamConfig> & { name: string };

/**
 * `create`: every service creates or updates the streams it needs (local stack, tests).
 * `external`: an administrator creates them (k8s/base/nats-streams); services only check.
 */
export type StreamProvisioning = 'create' | 'external';

const SECOND_IN_NANOS = 1_000_000_000;

/** NATS_STREAM_REPLICAS: how many servers keep a copy of each stream (3 in a cluster); JetStream allows 1 to 5. */
export const streamReplicasConfigSchema = z.object({ NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1) });

export function streamReplicas(env: NodeJS.ProcessEnv = process.env): number {
  return loadConfig(streamReplicasConfigSchema, env).NATS_STREAM_REPLICAS;
}

/** Settings every stream shares; replicas come from the environment. */
function commonSettings(name: string, subjects: string[]): StreamSettings {
  return {
    name,
    subjects,
    storage: StorageType.File,
    num_replicas: streamReplicas(),
    // The window in which JetStream drops a re-published message with the same Nats-Msg-Id.
    duplicate_window: 2 * 60 * SECOND_IN_NANOS,
  };
}

export function eventStreamSettings(stream: StreamDefinition): StreamSettings {
  return { ...commonSettings(stream.name, stream.subjects), max_age: 7 * 24 * 60 * 60 * SECOND_IN_NANOS };
}

/** Dead letters wait for an operator however long that takes, so they never expire. */
export function deadLetterStreamSettings(): StreamSettings {
  return { ...commonSettings(DEAD_LETTER_STREAM, [deadLetterFilter()]), max_age: 0 };
}

export async function ensureStreams(jsm: JetStreamManager, streams: readonly StreamSettings[]): Promise<void> {
  for (const config of streams) {
    try {
      await jsm.streams.info(config.name);
      await jsm.streams.update(config.name, config);
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.status !== 404) throw error;
      await jsm.streams.add(config);
    }
  }
}

/** Fails, naming the missing streams, unless every stream exists. */
export async function verifyStreams(jsm: JetStreamManager, streams: readonly StreamSettings[]): Promise<void> {
  const missing: string[] = [];
  for (const { name } of streams) {
    try {
      await jsm.streams.info(name);
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.status !== 404) throw error;
      missing.push(name);
    }
  }
  if (missing.length > 0) {
    throw new Error(`JetStream streams ${missing.join(', ')} do not exist; with NATS_STREAM_PROVISIONING=external they must be created first (the nats-streams Job)`);
  }
}
