/**
 * Publish and handling times cross a process boundary, so they are wall-clock times:
 * milliseconds since the epoch, with the sub-millisecond precision of `performance`.
 * Processes on one machine read the same clock.
 */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * An ISO-8601 UTC timestamp with microseconds (`…T12:00:00.123456Z`). The envelope's
 * `occurredAt` accepts any sub-second precision, so the publish time travels in the
 * event itself, identically for every transport.
 */
export function toPreciseIso(epochMs: number): string {
  const wholeMs = Math.floor(epochMs);
  const micros = Math.min(999, Math.round((epochMs - wholeMs) * 1000));
  return new Date(wholeMs).toISOString().replace('Z', `${String(micros).padStart(3, '0')}Z`);
}

/** Reads a timestamp written by `toPreciseIso` (or any ISO UTC timestamp) back into epoch milliseconds. */
export function fromPreciseIso(iso: string): number {
  const match = /^(.+\.\d{3})(\d+)Z$/.exec(iso);
  if (!match) return Date.parse(iso);
  return Date.parse(`${match[1]}Z`) + Number(`0.${match[2]}`);
}
