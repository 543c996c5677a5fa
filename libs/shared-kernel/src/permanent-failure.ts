/**
 * A failure that will happen again however often the work is retried: a request
 * the other side refuses as malformed, a message that can never be handled. Message
 * consumers dead-letter it at once instead of redelivering it.
 */
export class PermanentFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentFailure';
  }
}
