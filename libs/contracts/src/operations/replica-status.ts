import { z } from 'zod';

/**
 * Every replica of a service answers a core NATS request on its service's status subject with
 * its own state (ADR 0019). There is no queue group: an operator asking wants every replica's answer.
 */
export const SERVICE_STATUS_SUBJECT_PREFIX = 'status';

export function serviceStatusSubject(service: string): string {
  return `${SERVICE_STATUS_SUBJECT_PREFIX}.${service}`;
}

/** The services that answer status requests, as the operations console lists them. */
export const SERVICES_WITH_STATUS = ['order-service', 'inventory-service', 'payment-service', 'shipping-service'] as const;

const count = z.int().nonnegative();

export const replicaStatusSchema = z.object({
  service: z.string().min(1).max(128),
  /** Host and process id, as the replica's logs and dead-letter histories name it. */
  replica: z.string().min(1).max(255),
  /** What its readiness probe answers: false while its own database or its NATS connection is down. */
  ready: z.boolean(),
  /** Why it is not ready, and which readiness details could not be read, one line each (`<check>: <message>`). */
  reasons: z.array(z.string().max(2_000)).max(20),
  /** Outbox rows not published yet and the age of the oldest; null without an outbox or when it could not be counted (a reason says so). */
  outbox: z.object({ rows: count, oldestAgeSeconds: z.number().nonnegative() }).nullable(),
  /** The circuit breakers of the providers it calls, by dependency. */
  breakers: z
    .array(
      z.object({
        dependency: z.string().max(128),
        state: z.enum(['closed', 'open', 'half-open']),
        /** While open, how long until it lets a trial call through; null otherwise. */
        halfOpenInMs: count.nullable(),
      }),
    )
    .max(50),
});

export type ReplicaStatus = z.infer<typeof replicaStatusSchema>;
