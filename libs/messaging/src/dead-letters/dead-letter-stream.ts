/**
 * Every service dead-letters into one stream, on `dlq.<service>.<consumer>`, so
 * operators find all of them in one place and can still count them per service.
 */
export const DEAD_LETTER_STREAM = 'DEAD_LETTERS';
export const DEAD_LETTER_SUBJECT_PREFIX = 'dlq';

/**
 * A dead letter is the original message (payload and headers) plus these headers
 * saying where it came from and why it was given up on.
 */
export const DEAD_LETTER_HEADERS = {
  subject: 'x-dlq-subject',
  stream: 'x-dlq-stream',
  streamSequence: 'x-dlq-stream-sequence',
  service: 'x-dlq-service',
  consumer: 'x-dlq-consumer',
  error: 'x-dlq-error',
  kind: 'x-dlq-kind',
  attempts: 'x-dlq-attempts',
  failedAt: 'x-dlq-failed-at',
  /** Its failed deliveries as JSON, oldest first, when its service records them. */
  history: 'x-dlq-history',
  /** The original Nats-Msg-Id, kept aside: as itself it would make the DLQ stream drop other consumers' copies of the event. */
  originalMessageId: 'x-dlq-original-msg-id',
} as const;

/** Set on a message replayed from the DLQ, to the dead letter's id. */
export const REPLAYED_FROM_HEADER = 'x-replayed-from-dlq';

/** The header JetStream de-duplicates publishes by. */
export const MESSAGE_ID_HEADER = 'Nats-Msg-Id';

/** Service and consumer names become subject tokens: no dots, wildcards or spaces. */
const SUBJECT_TOKEN = /^[A-Za-z0-9_-]{1,128}$/;

export function isSubjectToken(value: string): boolean {
  return SUBJECT_TOKEN.test(value);
}

export function deadLetterSubject(service: string, consumer: string): string {
  for (const token of [service, consumer]) {
    if (!isSubjectToken(token)) throw new RangeError(`"${token}" cannot be part of a dead-letter subject`);
  }
  return `${DEAD_LETTER_SUBJECT_PREFIX}.${service}.${consumer}`;
}

/** The subjects holding one service's dead letters, or everyone's. */
export function deadLetterFilter(service?: string): string {
  if (service === undefined) return `${DEAD_LETTER_SUBJECT_PREFIX}.>`;
  if (!isSubjectToken(service)) throw new RangeError(`"${service}" is not a service name`);
  return `${DEAD_LETTER_SUBJECT_PREFIX}.${service}.>`;
}
