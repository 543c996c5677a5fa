import { AuditEntry } from './audit-api';
import { describeChange, describeEntry, parseEditedPayload, rolesOf } from './audit-format';

const letter = (id: number) => ({ id, subject: 'order.placed.v1', service: 'payment-service', consumer: 'payment-service-order-placed', orderId: null });
const entry = (fields: Partial<AuditEntry>): AuditEntry => ({
  id: 1,
  actionId: 'a',
  action: 'replay',
  outcome: 'succeeded',
  actor: { subject: 'bob', roles: ['ops'] },
  at: '2025-11-21T10:41:07.412Z',
  deadLetters: [letter(42)],
  ...fields,
});

describe('the audit trail as the console words it', () => {
  it('names the action, its dead letters (three, then a count) and its outcome', () => {
    expect(describeEntry(entry({}))).toBe('Replayed #42 — succeeded');
    expect(describeEntry(entry({ action: 'bulk-discard', outcome: 'partly-failed', deadLetters: [1, 2, 3, 4, 5].map(letter) }))).toBe(
      'Discarded in bulk #1, #2, #3 and 2 more — partly failed',
    );
    expect(describeEntry(entry({ action: 'edit-and-replay', outcome: 'started' }))).toBe('Edited and replayed #42 — outcome unknown');
  });

  it('shows a change as path, before and after, with added and removed values marked', () => {
    expect(describeChange({ path: 'data.reason', before: 'A', after: 'B' })).toBe('data.reason: "A" → "B"');
    expect(describeChange({ path: 'data.items.1', after: { sku: 'SKU-CAP' } })).toBe('data.items.1: (absent) → {"sku":"SKU-CAP"}');
    expect(describeChange({ path: '', before: 'text', after: {} })).toBe('(whole payload): "text" → {}');
  });

  it('accepts only a JSON object as an edited payload', () => {
    expect(parseEditedPayload('{"data":{"a":1}}')).toEqual({ payload: { data: { a: 1 } } });
    expect(parseEditedPayload('[1]')).toEqual({ problem: 'The payload must be a JSON object (the event envelope).' });
    expect(parseEditedPayload('{"data":')).toEqual({ problem: expect.stringMatching(/^Not valid JSON: /) });
  });

  it('reads the roles a token claims, and none from anything else', () => {
    const claims = Buffer.from(JSON.stringify({ sub: 'erin', roles: ['ops', 'ops-editor'] })).toString('base64url');
    expect(rolesOf(`eyJhbGciOiJIUzI1NiJ9.${claims}.signature`)).toEqual(['ops', 'ops-editor']);
    expect(rolesOf('not-a-token')).toEqual([]);
  });
});
