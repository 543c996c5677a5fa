import { Injectable, Logger } from '@nestjs/common';
import { describeError, type DeadLetter, type DeadLetterSummary, type ReplayedDeadLetter } from '@orders/messaging';
import { randomUUID } from 'node:crypto';
import { AuditedDeadLetter, AuditTrail, DeadLetterSelection, NewAuditEntry, PayloadChange } from './audit-trail';
import { DeadLetterAdmin } from './dead-letter-admin';
import { editedPayloadIssues, PayloadIssue } from './edited-payload';
import type { Identity } from './identity';
import { payloadChanges } from './payload-changes';

/** The most dead letters one bulk action acts on; the answer says when more matched. */
export const MAX_BULK_DEAD_LETTERS = 500;
const LIST_PAGE_SIZE = 100;

export type BulkAction = 'replay' | 'discard';

export interface BulkOutcome {
  action: BulkAction;
  /** Dead letters the selection matched and the action was run on, at most `limit`. */
  matched: number;
  done: number[];
  failed: Array<{ id: number; problem: string }>;
  limit: number;
  /** More dead letters matched than `limit`: run the action again for them. */
  more: boolean;
}

export interface EditedReplay {
  id: number;
  changes: PayloadChange[];
  /** Null for a dry run, which only validates and compares. */
  replayed: ReplayedDeadLetter | null;
}

/** An edited payload its consumers would refuse, or one that changes nothing; nothing was published. */
export class PayloadRejected extends Error {
  constructor(
    readonly issues: PayloadIssue[],
    readonly code: 'PAYLOAD_INVALID' | 'PAYLOAD_UNCHANGED',
  ) {
    super(code === 'PAYLOAD_INVALID' ? 'The edited payload breaks the event’s schema' : 'The edited payload is the same as the dead letter’s');
    this.name = 'PayloadRejected';
  }
}

const GONE = 'it was no longer in the queue (replayed or discarded meanwhile)';

type ActionStart = Pick<NewAuditEntry, 'action' | 'deadLetters' | 'changes' | 'selection'>;
type Outcome = Pick<NewAuditEntry, 'outcome' | 'failed'>;

/**
 * What operators do to dead letters, each action audited: its entry is stored before it runs,
 * and an action whose entry cannot be stored is not performed (AuditUnavailable). Its outcome is
 * stored after it ran.
 */
@Injectable()
export class DeadLetterOperations {
  private readonly logger = new Logger(DeadLetterOperations.name);

  constructor(
    private readonly deadLetters: DeadLetterAdmin,
    private readonly audit: AuditTrail,
  ) {}

  /** null when there is no such dead letter. */
  async replay(actor: Identity, id: number): Promise<ReplayedDeadLetter | null> {
    const letter = await this.deadLetters.get(id);
    if (!letter) return null;
    return this.audited(actor, { action: 'replay', deadLetters: [auditedLetter(letter)] }, () => this.deadLetters.replay(id), singleOutcome(id));
  }

  /** false when there is no such dead letter. */
  async discard(actor: Identity, id: number): Promise<boolean> {
    const letter = await this.deadLetters.get(id);
    if (!letter) return false;
    return this.audited(actor, { action: 'discard', deadLetters: [auditedLetter(letter)] }, () => this.deadLetters.discard(id), singleOutcome(id));
  }

  /**
   * Replays the dead letter with `payload` instead of its own, once the event's schema accepts it
   * (PayloadRejected otherwise); a dry run only validates and compares. null when there is no such dead letter.
   */
  async editAndReplay(actor: Identity, id: number, payload: unknown, dryRun: boolean): Promise<EditedReplay | null> {
    const letter = await this.deadLetters.get(id);
    if (!letter) return null;
    const issues = editedPayloadIssues(letter.subject, payload);
    if (issues.length > 0) throw new PayloadRejected(issues, 'PAYLOAD_INVALID');
    const changes = payloadChanges(letter.payload, payload);
    if (changes.length === 0) throw new PayloadRejected([{ path: '', message: 'nothing was changed: replay the dead letter instead' }], 'PAYLOAD_UNCHANGED');
    if (dryRun) return { id, changes, replayed: null };
    const start: ActionStart = { action: 'edit-and-replay', deadLetters: [auditedLetter(letter)], changes };
    const replayed = await this.audited(actor, start, () => this.deadLetters.replay(id, payload), singleOutcome(id));
    return replayed && { id, changes, replayed };
  }

  /** Replays or discards every dead letter `selection` matches, up to MAX_BULK_DEAD_LETTERS, going on past failures. */
  async bulk(actor: Identity, action: BulkAction, selection: DeadLetterSelection): Promise<BulkOutcome> {
    const { matched, more } = await this.select(selection);
    const outcome: BulkOutcome = { action, matched: matched.length, done: [], failed: [], limit: MAX_BULK_DEAD_LETTERS, more };
    if (matched.length === 0) return outcome;
    const start: ActionStart = { action: `bulk-${action}`, deadLetters: matched.map((letter) => ({ ...auditedLetter(letter), orderId: null })), selection };
    const run = async () => {
      for (const { id } of matched) {
        try {
          const acted = action === 'replay' ? (await this.deadLetters.replay(id)) !== null : await this.deadLetters.discard(id);
          if (acted) outcome.done.push(id);
          else outcome.failed.push({ id, problem: GONE });
        } catch (error) {
          outcome.failed.push({ id, problem: describeError(error) });
        }
      }
      return outcome;
    };
    return this.audited(actor, start, run, ({ done, failed }) => ({
      outcome: failed.length === 0 ? 'succeeded' : done.length === 0 ? 'failed' : 'partly-failed',
      failed,
    }));
  }

  private async select(selection: DeadLetterSelection): Promise<{ matched: DeadLetterSummary[]; more: boolean }> {
    const matched: DeadLetterSummary[] = [];
    let after: number | undefined;
    do {
      const page = await this.deadLetters.list({ service: selection.service, limit: LIST_PAGE_SIZE, after });
      for (const letter of page.deadLetters.filter((candidate) => matches(candidate, selection))) {
        if (matched.length === MAX_BULK_DEAD_LETTERS) return { matched, more: true };
        matched.push(letter);
      }
      after = page.nextAfter ?? undefined;
    } while (after !== undefined);
    return { matched, more: false };
  }

  private async audited<T>(actor: Identity, start: ActionStart, run: () => Promise<T>, outcomeOf: (result: T) => Outcome): Promise<T> {
    const entry: NewAuditEntry = { ...start, actionId: randomUUID(), outcome: 'started', actor: { subject: actor.userId, roles: actor.roles } };
    await this.audit.record(entry);
    let result: T;
    try {
      result = await run();
    } catch (error) {
      await this.recordOutcome({ ...entry, outcome: 'failed', failed: entry.deadLetters.map(({ id }) => ({ id, problem: describeError(error) })) });
      throw error;
    }
    await this.recordOutcome({ ...entry, ...outcomeOf(result) });
    return result;
  }

  /** The action ran: its answer must reach the operator even when its outcome cannot be stored; the `started` entry stays. */
  private recordOutcome(entry: NewAuditEntry): Promise<void> {
    return this.audit.record(entry).catch((error: unknown) => {
      this.logger.error(`The outcome (${entry.outcome}) of ${entry.action} ${entry.actionId} by ${entry.actor.subject} could not be audited: ${describeError(error)}`);
    });
  }
}

function singleOutcome(id: number): (result: unknown) => Outcome {
  return (result) => (result === null || result === false ? { outcome: 'failed', failed: [{ id, problem: GONE }] } : { outcome: 'succeeded' });
}

function auditedLetter(letter: DeadLetterSummary | DeadLetter): AuditedDeadLetter {
  return { id: letter.id, subject: letter.subject, service: letter.service, consumer: letter.consumer, orderId: 'payload' in letter ? orderIdIn(letter.payload) : null };
}

/** Events about an order carry its id in `data.orderId`. */
function orderIdIn(payload: unknown): string | null {
  const data: unknown = typeof payload === 'object' && payload !== null ? Reflect.get(payload, 'data') : undefined;
  const orderId: unknown = typeof data === 'object' && data !== null ? Reflect.get(data, 'orderId') : undefined;
  return typeof orderId === 'string' ? orderId : null;
}

function matches(letter: DeadLetterSummary, selection: DeadLetterSelection): boolean {
  return (
    (selection.consumer === undefined || letter.consumer === selection.consumer) &&
    (selection.subject === undefined || letter.subject === selection.subject) &&
    (selection.kind === undefined || letter.kind === selection.kind) &&
    (selection.errorContains === undefined || letter.error.toLowerCase().includes(selection.errorContains.toLowerCase())) &&
    (selection.ids === undefined || selection.ids.includes(letter.id))
  );
}
