import type { AuditEntry, PayloadChange } from './audit-api';

const ACTIONS: Record<AuditEntry['action'], string> = {
  replay: 'Replayed',
  discard: 'Discarded',
  'edit-and-replay': 'Edited and replayed',
  'bulk-replay': 'Replayed in bulk',
  'bulk-discard': 'Discarded in bulk',
};

const OUTCOMES: Record<AuditEntry['outcome'], string> = {
  started: 'outcome unknown',
  succeeded: 'succeeded',
  'partly-failed': 'partly failed',
  failed: 'failed',
};

/** "Replayed #42 — succeeded", naming up to three dead letters and counting the rest. */
export function describeEntry(entry: AuditEntry): string {
  const ids = entry.deadLetters.map(({ id }) => `#${id}`);
  const named = ids.length > 3 ? `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more` : ids.join(', ');
  return `${ACTIONS[entry.action]} ${named} — ${OUTCOMES[entry.outcome]}`;
}

function shown(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

/** `data.reason: "A" → "B"`; the whole payload is named so. */
export function describeChange(change: PayloadChange): string {
  return `${change.path || '(whole payload)'}: ${shown(change.before)} → ${shown(change.after)}`;
}

/** What the operator typed as the new payload: a JSON object, or why it is not one. */
export function parseEditedPayload(text: string): { payload: Record<string, unknown> } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'The payload must be a JSON object (the event envelope).' };
  return { payload: value as Record<string, unknown> };
}

/**
 * The roles an access token claims, read without verifying it: only to hide what the gateway would
 * refuse anyway, which checks every request itself.
 */
export function rolesOf(token: string): string[] {
  try {
    const claims: unknown = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    const roles = typeof claims === 'object' && claims !== null ? (claims as { roles?: unknown }).roles : undefined;
    return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [];
  } catch {
    return [];
  }
}
