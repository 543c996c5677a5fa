/**
 * What operators did to the platform's messages (replays, discards, edits of dead letters), on
 * `audit.<area>.<action>`. Only the gateway, which performs those actions, writes and reads it.
 */
export const AUDIT_STREAM = 'AUDIT';
export const AUDIT_SUBJECT_PREFIX = 'audit';

export function auditFilter(): string {
  return `${AUDIT_SUBJECT_PREFIX}.>`;
}
