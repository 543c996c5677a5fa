import { z } from 'zod';
import { AuditEntry, AuditPage } from '../../application/audit-trail';
import type { BulkOutcome, EditedReplay } from '../../application/dead-letter-operations';
import { EXAMPLE_ORDER_ID, replayedDeadLetterExample } from './examples';
import { schemaOf } from './gateway-schemas';
import { ApiErrorCase } from './openapi-objects';

// The OpenAPI schemas, examples and errors of the audited dead-letter actions and the audit trail.

const deadLetterId = z.int().positive();
const problems = z.array(z.object({ id: deadLetterId, problem: z.string() }));
const payloadChangeSchema = z.object({
  path: z.string().meta({ description: 'Dotted path into the payload, e.g. `data.items.0.quantity`; empty for the whole payload.' }),
  before: z.unknown().optional().meta({ description: 'Absent where the value was added.' }),
  after: z.unknown().optional().meta({ description: 'Absent where the value was removed.' }),
});

const auditEntrySchema = schemaOf<AuditEntry>()(
  z.object({
    id: z.int().positive().meta({ description: 'The entry’s sequence in the AUDIT stream.' }),
    actionId: z.string().meta({ description: 'Shared by the `started` entry stored before the action ran and its outcome.' }),
    action: z.enum(['replay', 'discard', 'edit-and-replay', 'bulk-replay', 'bulk-discard']),
    outcome: z.enum(['started', 'succeeded', 'partly-failed', 'failed']).meta({
      description: '`started` alone (no outcome after it) means the outcome could not be stored, or the gateway stopped while acting.',
    }),
    actor: z.object({ subject: z.string().meta({ description: 'The access token’s subject.' }), roles: z.array(z.string()) }),
    at: z.iso.datetime({ offset: true }),
    deadLetters: z.array(
      z.object({ id: deadLetterId, subject: z.string(), service: z.string(), consumer: z.string(), orderId: z.string().nullable().meta({ description: 'Null in bulk actions.' }) }),
    ),
    changes: z.array(payloadChangeSchema).optional().meta({ description: 'Edit-and-replay: every value the operator changed.' }),
    selection: z
      .object({
        service: z.string().optional(),
        consumer: z.string().optional(),
        subject: z.string().optional(),
        kind: z.enum(['permanent', 'exhausted']).optional(),
        errorContains: z.string().optional(),
        ids: z.array(deadLetterId).optional(),
      })
      .optional()
      .meta({ description: 'Bulk actions: how the dead letters were chosen.' }),
    failed: problems.optional().meta({ description: 'The dead letters the action could not act on, and why.' }),
  }),
);

export const auditPageSchema = schemaOf<AuditPage>()(
  z.object({
    entries: z.array(auditEntrySchema).meta({ description: 'Newest first; an action’s `started` entry is left out once its outcome is stored.' }),
    nextBefore: z.int().positive().nullable().meta({ description: 'Pass as `before` for older entries; null when there are none.' }),
  }),
);

export const bulkOutcomeSchema = schemaOf<BulkOutcome>()(
  z.object({
    action: z.enum(['replay', 'discard']),
    matched: z.int().nonnegative().meta({ description: 'Dead letters the filter matched and the action ran on, at most `limit`.' }),
    done: z.array(deadLetterId),
    failed: problems,
    limit: z.int().positive(),
    more: z.boolean().meta({ description: 'More dead letters matched than `limit`: call again for them.' }),
  }),
);

export const editedReplaySchema = schemaOf<EditedReplay>()(
  z.object({
    id: deadLetterId,
    changes: z.array(payloadChangeSchema),
    replayed: z
      .object({ id: deadLetterId, subject: z.string(), stream: z.string(), sequence: z.int().positive() })
      .nullable()
      .meta({ description: 'Where the edited message was published; null for a dry run.' }),
  }),
);

const EXAMPLE_ACTOR = { subject: 'bob@example.com', roles: ['ops', 'ops-editor'] };

export const auditPageExample: AuditPage = {
  entries: [
    {
      id: 318,
      actionId: '3f0c9a4e-8d2b-4b61-9e57-1c2d3e4f5a6b',
      action: 'edit-and-replay',
      outcome: 'succeeded',
      actor: EXAMPLE_ACTOR,
      at: '2025-11-21T10:41:07.412Z',
      deadLetters: [{ id: 42, subject: 'order.cancelled.v1', service: 'payment-service', consumer: 'payment-service-order-cancelled', orderId: EXAMPLE_ORDER_ID }],
      changes: [{ path: 'data.reason', before: 'CUSTOMER_CANCELED', after: 'CUSTOMER_CANCELLED' }],
    },
  ],
  nextBefore: null,
};

export const bulkOutcomeExample: BulkOutcome = {
  action: 'replay',
  matched: 3,
  done: [42, 43],
  failed: [{ id: 44, problem: 'it was no longer in the queue (replayed or discarded meanwhile)' }],
  limit: 500,
  more: false,
};

export const editedReplayExample: EditedReplay = {
  id: 42,
  changes: [{ path: 'data.reason', before: 'CUSTOMER_CANCELED', after: 'CUSTOMER_CANCELLED' }],
  replayed: replayedDeadLetterExample,
};

export const AUDIT_ERRORS = {
  auditUnavailable: {
    status: 503,
    code: 'AUDIT_UNAVAILABLE',
    message: 'The audit trail cannot be written or read; nothing was done',
    when: 'the action’s audit entry could not be stored, so the action was not performed (or the audit trail could not be read); try again later.',
  },
  editorRoleRequired: {
    status: 403,
    code: 'FORBIDDEN',
    message: 'This requires the ops-editor role',
    when: 'the caller lacks the `ops` role or the `ops-editor` role this route also needs.',
  },
  payloadInvalid: {
    status: 422,
    code: 'PAYLOAD_INVALID',
    message: 'The edited payload breaks the event’s schema',
    details: [{ path: 'data.reason', message: 'Invalid option: expected one of "OUT_OF_STOCK"|"PAYMENT_DECLINED"|…' }],
    when: 'the consumers would refuse the edited payload (the event’s schema of the contracts catalogue); `details` lists every problem. Nothing was published or removed.',
  },
  payloadUnchanged: {
    status: 422,
    code: 'PAYLOAD_UNCHANGED',
    message: 'The edited payload is the same as the dead letter’s',
    when: 'the edit changes nothing; replay the dead letter instead.',
  },
} satisfies Record<string, ApiErrorCase>;
