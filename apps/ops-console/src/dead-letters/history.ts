import type { DeadLetter } from '../api';

/**
 * A failed delivery's error as its row shows it: the dead letter's own error (of which the history
 * keeps the first 300 characters) is shown once, above, so rows that failed differently stand out.
 */
export function historyErrorText(failure: DeadLetter['history'][number], letterError: string): string | null {
  return letterError.startsWith(failure.error) ? null : failure.error;
}
