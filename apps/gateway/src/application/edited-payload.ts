import { ContractViolation, decodeEnvelope, EVENT_CATALOG, EventEnvelope, eventSubject } from '@orders/contracts';

export interface PayloadIssue {
  path: string;
  message: string;
}

/**
 * Why an operator's edit of a dead letter's payload would not be accepted by its consumers: the
 * same envelope decoding and event schema (of the contracts catalogue) they apply, and the
 * event's type and version must stay those of the subject it is replayed to. Empty when valid.
 */
export function editedPayloadIssues(subject: string, payload: unknown): PayloadIssue[] {
  let envelope: EventEnvelope;
  try {
    envelope = decodeEnvelope(new TextEncoder().encode(JSON.stringify(payload)));
  } catch (error) {
    return issuesOf(error, []);
  }
  if (eventSubject(envelope.type, envelope.version) !== subject) {
    return [{ path: 'type', message: `type and version must stay those of ${subject}, where the dead letter is replayed` }];
  }
  const definition = EVENT_CATALOG.get(envelope.type);
  if (!definition) return [{ path: 'type', message: `${envelope.type} is not an event of the contracts catalogue` }];
  try {
    definition.parse(envelope);
  } catch (error) {
    return issuesOf(error, ['data']);
  }
  return [];
}

/** The violation's zod issues, with paths from the payload's root (`within` is where the validated value sits). */
function issuesOf(error: unknown, within: string[]): PayloadIssue[] {
  if (!(error instanceof ContractViolation)) throw error;
  if (!Array.isArray(error.issues)) return [{ path: within.join('.'), message: error.message }];
  return (error.issues as Array<{ path: PropertyKey[]; message: string }>).map((issue) => ({
    path: [...within, ...issue.path].map(String).join('.'),
    message: issue.message,
  }));
}
