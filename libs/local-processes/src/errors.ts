/**
 * An error's message followed by those of its causes, e.g. "fetch failed: connect
 * ECONNREFUSED 127.0.0.1:3000". A cause the message already quotes is not repeated.
 */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.cause === undefined) return error.message;
  const cause = errorMessage(error.cause);
  return error.message.includes(cause) ? error.message : `${error.message}: ${cause}`;
}
