import { JetStreamApiCodes, JetStreamApiError, JetStreamManager } from '@nats-io/jetstream';
import { Injectable } from '@nestjs/common';
import { AUDIT_STREAM, AUDIT_SUBJECT_PREFIX, describeError, NatsConnectionManager } from '@orders/messaging';
import { AuditEntry, AuditPage, AuditQuery, AuditTrail, AuditUnavailable, NewAuditEntry } from '../application/audit-trail';

const REQUEST_TIMEOUT_MS = 5_000;
/** Bounds the work of one page when a filter matches little: the page then ends early, and `nextBefore` goes on from there. */
const MAX_ENTRIES_READ_PER_PAGE = 1_000;

/**
 * The audit trail in the AUDIT stream, one message per entry, on `audit.dead-letters.<action>.<actionId>`:
 * an action's outcome is the last message on its subject.
 */
@Injectable()
export class JetStreamAuditTrail extends AuditTrail {
  constructor(private readonly nats: NatsConnectionManager) {
    super();
  }

  async record(entry: NewAuditEntry): Promise<void> {
    try {
      await this.nats.ensureStreams();
      const stored: Omit<AuditEntry, 'id'> = { ...entry, at: new Date().toISOString() };
      await this.nats.jetstream().publish(subjectOf(entry), JSON.stringify(stored), {
        // An entry published again after a lost acknowledgement is stored once.
        msgID: `${entry.actionId}:${entry.outcome}`,
        timeout: REQUEST_TIMEOUT_MS,
      });
    } catch (error) {
      throw new AuditUnavailable(`The audit entry could not be stored: ${describeError(error)}`);
    }
  }

  async list(query: AuditQuery): Promise<AuditPage> {
    try {
      return await this.newestFirst(await this.nats.jetstreamManager({ timeout: REQUEST_TIMEOUT_MS, checkAPI: false }), query);
    } catch (error) {
      throw new AuditUnavailable(`The audit trail could not be read: ${describeError(error)}`);
    }
  }

  /** Reads back from the newest entry (or `before`) until the page is full, the stream's start or the read budget. */
  private async newestFirst(jsm: JetStreamManager, query: AuditQuery): Promise<AuditPage> {
    let state: { first_seq: number; last_seq: number };
    try {
      ({ state } = await jsm.streams.info(AUDIT_STREAM));
    } catch (error) {
      if (isCode(error, JetStreamApiCodes.StreamNotFound)) return { entries: [], nextBefore: null };
      throw error;
    }
    const entries: AuditEntry[] = [];
    let sequence = Math.min(state.last_seq, (query.before ?? Number.MAX_SAFE_INTEGER) - 1);
    const lowest = Math.max(state.first_seq, sequence - MAX_ENTRIES_READ_PER_PAGE + 1, 1);
    for (; sequence >= lowest && entries.length < query.limit; sequence--) {
      const entry = await this.entryAt(jsm, sequence);
      if (!entry || !matches(entry, query)) continue;
      if (entry.outcome === 'started' && (await this.hasOutcome(jsm, entry))) continue;
      entries.push(entry);
    }
    const oldestRead = sequence + 1;
    return { entries, nextBefore: oldestRead > Math.max(state.first_seq, 1) ? oldestRead : null };
  }

  private async hasOutcome(jsm: JetStreamManager, started: AuditEntry): Promise<boolean> {
    const last = await jsm.streams.getMessage(AUDIT_STREAM, { last_by_subj: subjectOf(started) });
    return last !== null && last.seq > started.id;
  }

  private async entryAt(jsm: JetStreamManager, sequence: number): Promise<AuditEntry | null> {
    try {
      const stored = await jsm.streams.getMessage(AUDIT_STREAM, { seq: sequence });
      return stored ? { ...stored.json<Omit<AuditEntry, 'id'>>(), id: stored.seq } : null;
    } catch (error) {
      // Nothing at this sequence: the stream's limits dropped it meanwhile.
      if (isCode(error, JetStreamApiCodes.NoMessageFound)) return null;
      throw error;
    }
  }
}

function subjectOf(entry: NewAuditEntry): string {
  return `${AUDIT_SUBJECT_PREFIX}.dead-letters.${entry.action}.${entry.actionId}`;
}

function matches(entry: AuditEntry, query: AuditQuery): boolean {
  return (
    (query.action === undefined || entry.action === query.action) &&
    (query.actor === undefined || entry.actor.subject === query.actor) &&
    (query.deadLetterId === undefined || entry.deadLetters.some(({ id }) => id === query.deadLetterId))
  );
}

function isCode(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}
