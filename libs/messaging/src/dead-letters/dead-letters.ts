import { JetStreamApiCodes, JetStreamApiError, JetStreamManager, StoredMsg } from '@nats-io/jetstream';
import { headers as natsHeaders, MsgHdrs } from '@nats-io/transport-node';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { NatsConnectionManager } from '../nats/nats-connection';
import {
  DEAD_LETTER_HEADERS,
  DEAD_LETTER_STREAM,
  DEAD_LETTER_SUBJECT_PREFIX,
  deadLetterFilter,
  deadLetterSubject,
  MESSAGE_ID_HEADER,
  REPLAYED_FROM_HEADER,
} from './dead-letter-stream';

/** `permanent`: retrying could not help (poison message, refused request); `exhausted`: every allowed delivery failed. */
export type DeadLetterKind = 'permanent' | 'exhausted';

/** Where a dead letter came from and why it was given up on. */
interface FailureRecord {
  /** Where the message was published, and where a replay publishes it again. */
  subject: string;
  stream: string;
  streamSequence: number;
  service: string;
  consumer: string;
  error: string;
  kind: DeadLetterKind;
  attempts: number;
}

/** One delivery of a message that its consumer failed to handle. */
export interface DeliveryFailure {
  /** The delivery's number, 1 for the first. */
  attempt: number;
  failedAt: string;
  /** The replica that handled it (host:pid). */
  replica: string;
  error: string;
}

/** A message a consumer gave up on, as the transport hands it over. */
export interface FailedMessage extends FailureRecord {
  data: Uint8Array;
  headers?: MsgHdrs;
  /** Its failed deliveries, oldest first, the last one included; only services with a database record them. */
  history?: DeliveryFailure[];
}

export interface DeadLetterSummary extends FailureRecord {
  /** The dead letter's sequence in the DEAD_LETTERS stream. */
  id: number;
  failedAt: string;
}

export type PayloadEncoding = 'json' | 'utf8' | 'base64';

export interface DeadLetter extends DeadLetterSummary {
  /** The original message's headers (multiple values joined with ", "). */
  headers: Record<string, string>;
  /** The parsed JSON payload, or the text, or the bytes in base64 when it is not text. */
  payload: unknown;
  payloadEncoding: PayloadEncoding;
  /** Its failed deliveries, oldest first (at most the last MAX_HISTORY_ENTRIES); empty when its service recorded none. */
  history: DeliveryFailure[];
}

export interface DeadLetterQuery {
  service?: string;
  limit?: number;
  /** Lists dead letters with an id greater than this (the previous page's `nextAfter`). */
  after?: number;
}

export interface DeadLetterPage {
  deadLetters: DeadLetterSummary[];
  /** Pass as `after` for the next page; null on the last page. */
  nextAfter: number | null;
}

export interface ReplayedDeadLetter {
  id: number;
  subject: string;
  stream: string;
  /** The replayed message's sequence in its stream. */
  sequence: number;
}

export class DeadLetterNotFound extends Error {
  constructor(readonly id: number) {
    super(`There is no dead letter ${id}`);
    this.name = 'DeadLetterNotFound';
  }
}

export const DEFAULT_DEAD_LETTER_PAGE_SIZE = 20;
export const MAX_DEAD_LETTER_PAGE_SIZE = 100;
/** Headers stay small: the full error is in the logs. */
export const MAX_ERROR_LENGTH = 1_000;
/** A message waiting long for a preceding event fails many times; its latest deliveries tell the story. */
export const MAX_HISTORY_ENTRIES = 50;
/** Each entry of the history is shorter than the dead letter's own error, so 50 of them stay well inside a message. */
const MAX_HISTORY_ERROR_LENGTH = 300;
const REQUEST_TIMEOUT_MS = 5_000;

/**
 * The dead-letter queue: a JetStream stream holding every message a consumer gave
 * up on, with its original subject, payload and headers, until an operator
 * replays it (after a fix) or discards it. Replaying publishes the message again
 * to its original subject; consumers that already processed the event skip it
 * through their inbox, so only the consumer that failed does the work.
 */
@Injectable()
export class DeadLetters {
  constructor(private readonly nats: NatsConnectionManager) {}

  /** Stores a failed message; resolves with its id once JetStream has it. */
  async record(message: FailedMessage): Promise<number> {
    await this.nats.ensureStreams();
    const headers = natsHeaders();
    for (const [name, values] of message.headers ?? []) {
      if (name === MESSAGE_ID_HEADER) headers.set(DEAD_LETTER_HEADERS.originalMessageId, values[0]);
      else values.forEach((value) => headers.append(name, value));
    }
    const metadata: Array<[string, string]> = [
      [DEAD_LETTER_HEADERS.subject, message.subject],
      [DEAD_LETTER_HEADERS.stream, message.stream],
      [DEAD_LETTER_HEADERS.streamSequence, String(message.streamSequence)],
      [DEAD_LETTER_HEADERS.service, message.service],
      [DEAD_LETTER_HEADERS.consumer, message.consumer],
      [DEAD_LETTER_HEADERS.error, headerSafe(message.error).slice(0, MAX_ERROR_LENGTH)],
      [DEAD_LETTER_HEADERS.kind, message.kind],
      [DEAD_LETTER_HEADERS.attempts, String(message.attempts)],
      [DEAD_LETTER_HEADERS.failedAt, new Date().toISOString()],
    ];
    if (message.history?.length) metadata.push([DEAD_LETTER_HEADERS.history, encodeHistory(message.history)]);
    for (const [name, value] of metadata) headers.set(name, value);
    const ack = await this.nats.jetstream().publish(deadLetterSubject(message.service, message.consumer), message.data, {
      headers,
      // A message dead-lettered again because the ack of the first time got lost is stored once.
      msgID: `${message.stream}:${message.streamSequence}:${message.consumer}`,
      timeout: REQUEST_TIMEOUT_MS,
    });
    return ack.seq;
  }

  /** Oldest first, optionally of one service. */
  async list(query: DeadLetterQuery = {}): Promise<DeadLetterPage> {
    const limit = query.limit ?? DEFAULT_DEAD_LETTER_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DEAD_LETTER_PAGE_SIZE) throw new RangeError(`limit is 1 to ${MAX_DEAD_LETTER_PAGE_SIZE}`);
    const filter = deadLetterFilter(query.service);
    const jsm = await this.manager();
    const deadLetters: DeadLetterSummary[] = [];
    let next = await this.nextStored(jsm, filter, (query.after ?? 0) + 1);
    while (next && deadLetters.length < limit) {
      deadLetters.push(summaryOf(next));
      next = await this.nextStored(jsm, filter, next.seq + 1);
    }
    return { deadLetters, nextAfter: next ? deadLetters[deadLetters.length - 1].id : null };
  }

  async get(id: number): Promise<DeadLetter> {
    const stored = await this.stored(await this.manager(), id);
    return { ...summaryOf(stored), headers: originalHeaders(stored.header), ...decodePayload(stored.data), history: decodeHistory(stored.header.get(DEAD_LETTER_HEADERS.history)) };
  }

  /**
   * Publishes the message again to its original subject, marked as a replay, then
   * removes the dead letter. It gets a new Nats-Msg-Id: under the original one
   * JetStream could drop it as a duplicate of the first publish. `editedPayload`
   * replaces the stored payload (an operator's correction), headers staying the same.
   */
  async replay(id: number, editedPayload?: Uint8Array): Promise<ReplayedDeadLetter> {
    const jsm = await this.manager();
    const stored = await this.stored(jsm, id);
    const { subject } = summaryOf(stored);
    if (!subject) throw new Error(`Dead letter ${id} does not say where it was published, so it cannot be replayed`);
    const headers = natsHeaders();
    for (const [name, values] of stored.header) {
      if (!isDeadLetterHeader(name)) values.forEach((value) => headers.append(name, value));
    }
    headers.set(REPLAYED_FROM_HEADER, String(id));
    const ack = await this.nats.jetstream().publish(subject, editedPayload ?? stored.data, {
      headers,
      // Two operators replaying the same dead letter at once publish it once.
      msgID: `${editedPayload ? 'dlq-edited-replay' : 'dlq-replay'}:${id}:${stored.timestamp}`,
      timeout: REQUEST_TIMEOUT_MS,
    });
    await this.remove(jsm, id).catch((error: unknown) => {
      // Someone else replayed or discarded it meanwhile: it is gone either way.
      if (!(error instanceof DeadLetterNotFound)) throw error;
    });
    return { id, subject, stream: ack.stream, sequence: ack.seq };
  }

  async discard(id: number): Promise<void> {
    await this.remove(await this.manager(), id);
  }

  /** Dead letters waiting, of one service or of all; `timeoutMs` bounds each request to JetStream for callers that must answer quickly. */
  async depth(service?: string, options: { timeoutMs?: number } = {}): Promise<number> {
    const counts = await this.countsBySubject(deadLetterFilter(service), options.timeoutMs);
    return Object.values(counts).reduce((sum, count) => sum + count, 0);
  }

  /** Dead letters waiting per service (services without any are left out). */
  async depthByService(): Promise<Record<string, number>> {
    const depths: Record<string, number> = {};
    for (const [subject, count] of Object.entries(await this.countsBySubject(deadLetterFilter()))) {
      const service = subject.split('.')[1];
      depths[service] = (depths[service] ?? 0) + count;
    }
    return depths;
  }

  private manager(timeoutMs = REQUEST_TIMEOUT_MS): Promise<JetStreamManager> {
    return this.nats.jetstreamManager({ timeout: timeoutMs, checkAPI: false });
  }

  private async countsBySubject(filter: string, timeoutMs?: number): Promise<Record<string, number>> {
    try {
      const info = await (await this.manager(timeoutMs)).streams.info(DEAD_LETTER_STREAM, { subjects_filter: filter });
      return info.state.subjects ?? {};
    } catch (error) {
      if (isStreamNotFound(error)) return {};
      throw error;
    }
  }

  private async nextStored(jsm: JetStreamManager, filter: string, fromId: number): Promise<StoredMsg | null> {
    try {
      // `next_by_subj` works on NATS 2.9, though the client's types only admit it for direct gets.
      return await jsm.streams.getMessage(DEAD_LETTER_STREAM, { seq: fromId, next_by_subj: filter } as unknown as { seq: number });
    } catch (error) {
      if (isStreamNotFound(error)) return null;
      throw error;
    }
  }

  private async stored(jsm: JetStreamManager, id: number): Promise<StoredMsg> {
    let stored: StoredMsg | null;
    try {
      stored = await jsm.streams.getMessage(DEAD_LETTER_STREAM, { seq: id });
    } catch (error) {
      if (isStreamNotFound(error)) throw new DeadLetterNotFound(id);
      throw error;
    }
    if (!stored || !stored.subject.startsWith(`${DEAD_LETTER_SUBJECT_PREFIX}.`)) throw new DeadLetterNotFound(id);
    return stored;
  }

  private async remove(jsm: JetStreamManager, id: number): Promise<void> {
    await this.stored(jsm, id);
    try {
      await jsm.streams.deleteMessage(DEAD_LETTER_STREAM, id);
    } catch (error) {
      // Someone removed it between our read and our delete.
      if (error instanceof JetStreamApiError && NO_MESSAGE_TO_DELETE.has(error.code)) throw new DeadLetterNotFound(id);
      throw error;
    }
  }
}

/** What NATS answers when deleting a sequence that holds no message: 10043 inside the stream, 10057 at its ends. */
const NO_MESSAGE_TO_DELETE: ReadonlySet<number> = new Set([10043, 10057]);

function isStreamNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
}

/** Our metadata, and the dead letter's own Nats-Msg-Id (the original one is kept aside). */
const DEAD_LETTER_OWN_HEADERS: ReadonlySet<string> = new Set([...Object.values(DEAD_LETTER_HEADERS), MESSAGE_ID_HEADER]);

function isDeadLetterHeader(name: string): boolean {
  return DEAD_LETTER_OWN_HEADERS.has(name);
}

function summaryOf(stored: StoredMsg): DeadLetterSummary {
  const header = (name: string) => stored.header.get(name);
  const [, service = '', consumer = ''] = stored.subject.split('.');
  return {
    id: stored.seq,
    subject: header(DEAD_LETTER_HEADERS.subject),
    stream: header(DEAD_LETTER_HEADERS.stream),
    streamSequence: Number(header(DEAD_LETTER_HEADERS.streamSequence)),
    service: header(DEAD_LETTER_HEADERS.service) || service,
    consumer: header(DEAD_LETTER_HEADERS.consumer) || consumer,
    error: header(DEAD_LETTER_HEADERS.error),
    kind: header(DEAD_LETTER_HEADERS.kind) === 'permanent' ? 'permanent' : 'exhausted',
    attempts: Number(header(DEAD_LETTER_HEADERS.attempts)),
    failedAt: header(DEAD_LETTER_HEADERS.failedAt) || stored.time.toISOString(),
  };
}

/** The headers the message had before it was dead-lettered. */
function originalHeaders(stored: MsgHdrs): Record<string, string> {
  const original: Record<string, string> = {};
  for (const [name, values] of stored) {
    if (name === DEAD_LETTER_HEADERS.originalMessageId) original[MESSAGE_ID_HEADER] = values.join(', ');
    else if (!isDeadLetterHeader(name)) original[name] = values.join(', ');
  }
  return original;
}

function decodePayload(data: Uint8Array): { payload: unknown; payloadEncoding: PayloadEncoding } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return { payload: Buffer.from(data).toString('base64'), payloadEncoding: 'base64' };
  }
  try {
    return { payload: JSON.parse(text), payloadEncoding: 'json' };
  } catch {
    return { payload: text, payloadEncoding: 'utf8' };
  }
}

const historySchema = z.array(z.object({ attempt: z.int().positive(), failedAt: z.string(), replica: z.string(), error: z.string() }));

/** JSON in one header value: its string escapes keep line breaks out. */
function encodeHistory(history: readonly DeliveryFailure[]): string {
  const latest = history.slice(-MAX_HISTORY_ENTRIES).map((failure) => ({ ...failure, error: headerSafe(failure.error).slice(0, MAX_HISTORY_ERROR_LENGTH) }));
  return JSON.stringify(latest);
}

/** A dead letter from before histories were kept, or with a history that does not parse, has none. */
function decodeHistory(header: string): DeliveryFailure[] {
  if (!header) return [];
  try {
    return historySchema.parse(JSON.parse(header));
  } catch {
    return [];
  }
}

/** Header values cannot hold line breaks (validation errors have them). */
function headerSafe(value: string): string {
  return value.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
