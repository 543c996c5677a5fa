import { JetStreamApiError, JetStreamManager, StorageType, StreamConfig } from '@nats-io/jetstream';
import { StreamDefinition, STREAMS } from '@orders/contracts';
import { loadConfig } from '@orders/config';
import { z } from 'zod';
import { AUDIT_STREAM, auditFilter } from '../audit/audit-stream';
import { DEAD_LETTER_STREAM, deadLetterFilter } from '../dead-letters/dead-letter-stream';

export type StreamSettings = Partial<StreamConfig> & { name: string };

/**
 * `create`: every service creates or updates the streams it needs (local stack, tests).
 * `external`: an administrator creates them (k8s/base/nats-streams); services only check.
 */
export type StreamProvisioning = 'create' | 'external';

const SECOND_IN_NANOS = 1_000_000_000;

/**
 * The window in which JetStream drops a re-published message with the same Nats-Msg-Id (the event
 * id). The outbox relay publishes a row again when it was not marked published: after its
 * process crashed, its lease lapsed, or the database or NATS was unreachable meanwhile. Ten
 * minutes outlast a database failover, a NATS restart and any lease, and cost the servers about
 * 150 bytes per message of the last ten minutes. A longer gap lets a second copy into the stream,
 * which the consumers' inbox then recognises by its event id (ADR 2).
 */
const DUPLICATE_WINDOW_NANOS = 10 * 60 * SECOND_IN_NANOS;

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
    duplicate_window: DUPLICATE_WINDOW_NANOS,
  };
}

export function eventStreamSettings(stream: StreamDefinition): StreamSettings {
  return { ...commonSettings(stream.name, stream.subjects), max_age: 7 * 24 * 60 * 60 * SECOND_IN_NANOS };
}

/** Dead letters wait for an operator however long that takes, so they never expire. */
export function deadLetterStreamSettings(): StreamSettings {
  return { ...commonSettings(DEAD_LETTER_STREAM, [deadLetterFilter()]), max_age: 0 };
}

/**
 * What operators did stays readable for reviews and incident reports long after the dead letters
 * it names are gone; 400 days cover a yearly review.
 */
const AUDIT_RETENTION_NANOS = 400 * 24 * 60 * 60 * SECOND_IN_NANOS;

/** The audit trail of operators' actions: kept for AUDIT_RETENTION_NANOS, then dropped oldest first. */
export function auditStreamSettings(): StreamSettings {
  return { ...commonSettings(AUDIT_STREAM, [auditFilter()]), max_age: AUDIT_RETENTION_NANOS };
}

/** Every stream of the platform: each context's events, the dead letters and the audit trail. */
export function platformStreamSettings(): StreamSettings[] {
  return [...STREAMS.map(eventStreamSettings), deadLetterStreamSettings(), auditStreamSettings()];
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

/**
 * Fails unless every stream exists with the settings the platform's guarantees rest on: its
 * subjects, NATS_STREAM_REPLICAS copies, and at least the duplicate window. The message names the
 * missing streams, or each stream and setting that differs, with both values.
 */
export async function verifyStreams(jsm: JetStreamManager, streams: readonly StreamSettings[]): Promise<void> {
  const missing: string[] = [];
  const differences: string[] = [];
  for (const expected of streams) {
    try {
      differences.push(...streamSettingsDifferences(expected, (await jsm.streams.info(expected.name)).config));
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.status !== 404) throw error;
      missing.push(expected.name);
    }
  }
  if (missing.length > 0) {
    throw new Error(`JetStream streams ${missing.join(', ')} do not exist; with NATS_STREAM_PROVISIONING=external they must be created first (the nats-streams Job)`);
  }
  if (differences.length > 0) {
    throw new Error(
      `JetStream streams do not have the settings this service relies on; with NATS_STREAM_PROVISIONING=external the nats-streams Job sets them: ${differences.join('; ')}`,
    );
  }
}

/** How `actual` falls short of `expected`: one line per setting, naming the stream, the setting and both values. */
export function streamSettingsDifferences(expected: StreamSettings, actual: Pick<StreamConfig, 'num_replicas' | 'duplicate_window' | 'subjects'>): string[] {
  const differences: string[] = [];
  if (expected.num_replicas !== undefined && actual.num_replicas !== expected.num_replicas) {
    differences.push(`${expected.name}: num_replicas is ${actual.num_replicas}, expected ${expected.num_replicas} (NATS_STREAM_REPLICAS)`);
  }
  if (expected.duplicate_window !== undefined && actual.duplicate_window < expected.duplicate_window) {
    differences.push(`${expected.name}: duplicate_window is ${seconds(actual.duplicate_window)}, expected at least ${seconds(expected.duplicate_window)}`);
  }
  const expectedSubjects = [...(expected.subjects ?? [])].sort();
  const actualSubjects = [...(actual.subjects ?? [])].sort();
  if (expectedSubjects.join(',') !== actualSubjects.join(',')) {
    differences.push(`${expected.name}: subjects are ${actualSubjects.join(', ') || 'none'}, expected ${expectedSubjects.join(', ')}`);
  }
  return differences;
}

function seconds(nanos: number): string {
  return `${nanos / SECOND_IN_NANOS} s`;
}
