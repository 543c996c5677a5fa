/** An `x-deadline` value: whole milliseconds since the Unix epoch, as Date.now() gives them. */
const EPOCH_MILLISECONDS = /^\d{1,15}$/;

/**
 * The moment the original caller stops waiting for an answer. It is an absolute time, not a
 * budget, so that time a request spends queued (in a socket buffer, in NATS, in a paused
 * process) counts against it: work that arrives after the caller gave up is refused, not done
 * (ADR 0007). It travels in the `x-deadline` header over HTTP and NATS.
 */
export class Deadline {
  private constructor(
    /** Milliseconds since the Unix epoch. */
    readonly at: number,
  ) {}

  /** The deadline `budgetMs` from now. */
  static after(budgetMs: number, now: number = Date.now()): Deadline {
    return new Deadline(now + budgetMs);
  }

  /** The deadline an `x-deadline` header value names; undefined when there is none or it is unreadable. */
  static parse(value: unknown): Deadline | undefined {
    return typeof value === 'string' && EPOCH_MILLISECONDS.test(value) ? new Deadline(Number(value)) : undefined;
  }

  /** Whichever comes first: a hop never gives a request more time than its caller or its own limit allows. */
  earliest(other: Deadline | undefined): Deadline {
    return other && other.at < this.at ? other : this;
  }

  remainingMs(now: number = Date.now()): number {
    return Math.max(0, this.at - now);
  }

  isExpired(now: number = Date.now()): boolean {
    return this.at <= now;
  }

  /** How long ago it passed, 0 while it has not. */
  overdueMs(now: number = Date.now()): number {
    return Math.max(0, now - this.at);
  }

  /** The `x-deadline` header value. */
  toHeader(): string {
    return String(this.at);
  }
}

/**
 * The caller's deadline passed before an answer could be given: the work was refused or given
 * up. Answered with 504 DEADLINE_EXCEEDED over HTTP and the DEADLINE_EXCEEDED query error over
 * NATS.
 */
export class DeadlineExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineExceeded';
  }
}
