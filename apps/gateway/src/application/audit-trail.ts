import type { DeadLetterKind } from '@orders/messaging';

export const AUDITED_ACTIONS = ['replay', 'discard', 'edit-and-replay', 'bulk-replay', 'bulk-discard'] as const;
export type AuditedAction = (typeof AUDITED_ACTIONS)[number];

/**
 * `started` is stored before the action runs, its outcome once it ran. A `started` entry with no
 * outcome after it means the outcome could not be stored (or the gateway stopped meanwhile).
 */
export type AuditOutcome = 'started' | 'succeeded' | 'partly-failed' | 'failed';

/** Who acted, as the access token says. */
export interface AuditActor {
  subject: string;
  roles: string[];
}

/** A dead letter an action was about, as it was when the action started. */
export interface AuditedDeadLetter {
  id: number;
  subject: string;
  service: string;
  consumer: string;
  /** Known when the payload was read (single actions); null in bulk. */
  orderId: string | null;
}

/** One value an operator changed in a payload; `before` or `after` is absent where the value was added or removed. */
export interface PayloadChange {
  /** Dotted path into the payload, e.g. `data.items.0.quantity`; empty for the whole payload. */
  path: string;
  before?: unknown;
  after?: unknown;
}

/** What a bulk action chose its dead letters by. */
export interface DeadLetterSelection {
  service?: string;
  consumer?: string;
  subject?: string;
  kind?: DeadLetterKind;
  errorContains?: string;
  ids?: number[];
}

export interface NewAuditEntry {
  /** Shared by an action's `started` entry and its outcome. */
  actionId: string;
  action: AuditedAction;
  outcome: AuditOutcome;
  actor: AuditActor;
  deadLetters: AuditedDeadLetter[];
  /** Edit-and-replay: what the operator changed. */
  changes?: PayloadChange[];
  /** Bulk actions: how the dead letters were chosen. */
  selection?: DeadLetterSelection;
  /** The dead letters an action could not act on, and why. */
  failed?: Array<{ id: number; problem: string }>;
}

export interface AuditEntry extends NewAuditEntry {
  /** The entry's sequence in the AUDIT stream. */
  id: number;
  at: string;
}

export interface AuditQuery {
  deadLetterId?: number;
  actor?: string;
  action?: AuditedAction;
  limit: number;
  /** Lists entries older than this id (the previous page's `nextBefore`). */
  before?: number;
}

export interface AuditPage {
  /** Newest first. An action's `started` entry is left out once its outcome is stored. */
  entries: AuditEntry[];
  /** Pass as `before` for the next page; null when there is nothing older. */
  nextBefore: number | null;
}

export const DEFAULT_AUDIT_PAGE_SIZE = 20;
export const MAX_AUDIT_PAGE_SIZE = 100;

/** The audit trail could not store or read an entry. Actions are not performed without their entry. */
export class AuditUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditUnavailable';
  }
}

/** The durable record of what operators did to dead letters. Rejects with AuditUnavailable. */
export abstract class AuditTrail {
  abstract record(entry: NewAuditEntry): Promise<void>;

  abstract list(query: AuditQuery): Promise<AuditPage>;
}
