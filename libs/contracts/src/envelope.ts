import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * Every event travels in this envelope. `data` is validated against the schema of
 * the event's `type` and `version`; trace context travels in message headers.
 */
export interface EventEnvelope<TData = unknown> {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  data: TData;
}

export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().regex(/^[a-z]+\.[a-z-]+$/),
  version: z.int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1).max(128),
  causationId: z.string().min(1).max(128).nullable(),
  data: z.unknown(),
});

/** What links a new event to the request or event that caused it. */
export type Causation = { causedBy: Pick<EventEnvelope, 'id' | 'correlationId'> } | { correlationId: string };

export function envelopeMetadata(causation: Causation): Pick<EventEnvelope, 'id' | 'occurredAt' | 'correlationId' | 'causationId'> {
  const base = { id: randomUUID(), occurredAt: new Date().toISOString() };
  if ('causedBy' in causation) {
    return { ...base, correlationId: causation.causedBy.correlationId, causationId: causation.causedBy.id };
  }
  return { ...base, correlationId: causation.correlationId, causationId: null };
}

/** Subject of one version of an event: `<context>.<event>.v<version>`. */
export function eventSubject(type: string, version: number): string {
  return `${type}.v${version}`;
}
