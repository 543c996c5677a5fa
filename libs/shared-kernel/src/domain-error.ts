/**
 * A broken business rule. `code` is stable and machine-readable; callers map it to
 * transport-level errors (HTTP status, reply error) at the edges.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
