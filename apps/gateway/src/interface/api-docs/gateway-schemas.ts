import type { DeadLetter, DeadLetterPage, DeadLetterSummary, ReplayedDeadLetter } from '@orders/messaging';
import type { ErrorBody } from '@orders/service-runtime';
import { z } from 'zod';
import type { BusState } from '../../application/bus-admin';
import type { ServicesState } from '../../application/service-status-admin';
import type { DeadLettersController } from '../dead-letters.controller';
import type { DevLoginController } from '../dev-login.controller';

/** Both directions of assignability: true only when the two types describe the same values. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * The zod schema of a type the code declares as a TypeScript type, so it can be documented.
 * It compiles only while the schema's output is exactly that type, so the two cannot drift apart.
 */
export function schemaOf<T>() {
  return <S extends z.ZodType>(schema: S & (Same<z.output<S>, T> extends true ? unknown : { mismatch: 'the schema does not match the type' })): S => schema;
}

export const errorBodySchema = schemaOf<ErrorBody>()(
  z.object({
    error: z.object({
      code: z.string().meta({ description: 'Machine-readable, e.g. VALIDATION_FAILED or ORDER_NOT_FOUND.' }),
      message: z.string().meta({ description: 'For humans; may change at any time.' }),
      details: z.unknown().optional().meta({ description: 'More about the error, e.g. every invalid field for VALIDATION_FAILED.' }),
    }),
    requestId: z.string().meta({ description: 'Also in the X-Request-Id response header; quote it when reporting a problem.' }),
  }),
);

type Answer<Handler extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<Handler>>;

export const accessTokenSchema = schemaOf<Answer<DevLoginController['login']>>()(
  z.object({ accessToken: z.string().meta({ description: 'A JWT to send as `Authorization: Bearer <token>`; valid for an hour.' }) }),
);

const deadLetterSummarySchema = schemaOf<DeadLetterSummary>()(
  z.object({
    id: z.int().positive(),
    subject: z.string(),
    stream: z.string(),
    streamSequence: z.int().positive(),
    service: z.string(),
    consumer: z.string(),
    error: z.string(),
    kind: z.enum(['permanent', 'exhausted']),
    attempts: z.int().nonnegative(),
    failedAt: z.iso.datetime({ offset: true }),
  }),
);

export const deadLetterPageSchema = schemaOf<DeadLetterPage>()(
  z.object({
    deadLetters: z.array(deadLetterSummarySchema),
    nextAfter: z.int().positive().nullable(),
  }),
);

export const deadLetterSchema = schemaOf<DeadLetter>()(
  deadLetterSummarySchema.extend({
    headers: z.record(z.string(), z.string()),
    payload: z.unknown(),
    payloadEncoding: z.enum(['json', 'utf8', 'base64']),
    history: z
      .array(
        z.object({
          attempt: z.int().positive().meta({ description: 'The delivery, 1 for the first.' }),
          failedAt: z.iso.datetime({ offset: true }),
          replica: z.string().meta({ description: 'The replica that handled it: host (pod) and process id.' }),
          error: z.string(),
        }),
      )
      .meta({
        description: 'Every failed delivery, oldest first (at most the last 50), whichever replica handled it; empty when its service keeps no history (no database).',
      }),
  }),
);

export const replayedDeadLetterSchema = schemaOf<ReplayedDeadLetter>()(
  z.object({
    id: z.int().positive(),
    subject: z.string(),
    stream: z.string(),
    sequence: z.int().positive(),
  }),
);

export const discardedDeadLetterSchema = schemaOf<Answer<DeadLettersController['discard']>>()(z.object({ id: z.int().positive(), discarded: z.literal(true) }));

const count = z.int().nonnegative();

export const busStateSchema = schemaOf<BusState>()(
  z.object({
    streams: z.array(
      z.object({
        name: z.string(),
        subjects: z.array(z.string()),
        messages: count,
        bytes: count,
        replicas: z.int().positive(),
        consumers: z.array(
          z.object({
            name: z.string(),
            pending: count.meta({ description: 'Messages not delivered to the consumer yet: its lag.' }),
            ackPending: count.meta({ description: 'Delivered and not acknowledged yet: being handled, or waiting for redelivery.' }),
            redelivered: count.meta({ description: 'Delivered more than once and not acknowledged yet.' }),
          }),
        ),
      }),
    ),
  }),
);

/** A PENDING order as order-service's admin route describes its saga. */

export const servicesStateSchema = schemaOf<ServicesState>()(
  z.object({
    services: z.array(
      z.object({
        name: z.string(),
        replicas: z.array(
          z.object({
            replica: z.string().meta({ description: 'Host (pod) and process id.' }),
            ready: z.boolean().meta({ description: 'What its readiness probe answers: false while its own database or NATS connection is down.' }),
            reasons: z.array(z.string()).meta({ description: 'Why it is not ready, and which readiness details it could not read, as `<check>: <message>`.' }),
            outbox: z
              .object({ rows: count, oldestAgeSeconds: z.number().nonnegative() })
              .nullable()
              .meta({ description: 'Outbox rows not published yet and the age of the oldest; null when it could not be counted.' }),
            breakers: z.array(
              z.object({
                dependency: z.string(),
                state: z.enum(['closed', 'open', 'half-open']),
                halfOpenInMs: count.nullable().meta({ description: 'While open, how long until a trial call may pass; null otherwise.' }),
              }),
            ),
          }),
        ),
        noAnswer: z.string().nullable().meta({ description: 'Why no replica answered; null when some did.' }),
        deadLetters: count.nullable().meta({ description: 'Its dead letters waiting; null when the queue could not be counted.' }),
      }),
    ),
    waitedMs: z.int().positive().meta({ description: 'How long replicas were given to answer.' }),
  }),
);
