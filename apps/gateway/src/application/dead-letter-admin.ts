import type { DeadLetter, DeadLetterPage, DeadLetterQuery, ReplayedDeadLetter } from '@orders/messaging';

/**
 * The platform's dead-letter queue, as operators work it: inspect what failed, then
 * replay it after a fix or discard it. Rejects with UpstreamUnavailable when the
 * queue cannot be reached.
 */
export abstract class DeadLetterAdmin {
  abstract list(query: DeadLetterQuery): Promise<DeadLetterPage>;

  /** null when there is no such dead letter. */
  abstract get(id: number): Promise<DeadLetter | null>;

  /**
   * Publishes the message again to its original subject, with `editedPayload` (JSON) instead of its
   * own when given; null when there is no such dead letter.
   */
  abstract replay(id: number, editedPayload?: unknown): Promise<ReplayedDeadLetter | null>;

  /** false when there is no such dead letter. */
  abstract discard(id: number): Promise<boolean>;
}
