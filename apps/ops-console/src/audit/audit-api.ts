/** The admin API's audit trail and the audited actions only the console's dead-letter pages use. */
import { callApi } from '../api';

/** As `GET /api/v1/admin/audit` answers (the OpenAPI document has it all). */
export interface PayloadChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditEntry {
  id: number;
  actionId: string;
  action: 'replay' | 'discard' | 'edit-and-replay' | 'bulk-replay' | 'bulk-discard';
  outcome: 'started' | 'succeeded' | 'partly-failed' | 'failed';
  actor: { subject: string; roles: string[] };
  at: string;
  deadLetters: Array<{ id: number; subject: string; service: string; consumer: string; orderId: string | null }>;
  changes?: PayloadChange[];
  failed?: Array<{ id: number; problem: string }>;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextBefore: number | null;
}

export interface AuditFilter {
  deadLetterId?: number;
  actor?: string;
  action?: AuditEntry['action'];
  before?: number;
}

export function listAudit(token: string, filter: AuditFilter): Promise<AuditPage> {
  const query = new URLSearchParams({ limit: '50' });
  for (const [name, value] of Object.entries(filter)) if (value !== undefined && value !== '') query.set(name, String(value));
  return callApi<AuditPage>(`/api/v1/admin/audit?${query}`, { token });
}

export interface EditedReplay {
  id: number;
  changes: PayloadChange[];
  replayed: { subject: string; stream: string; sequence: number } | null;
}

/** With `dryRun`, only validates the payload and lists its changes. */
export function editAndReplay(token: string, id: number, payload: unknown, dryRun: boolean): Promise<EditedReplay> {
  return callApi<EditedReplay>(`/api/v1/admin/dead-letters/${id}/edit-and-replay`, { token, method: 'POST', body: { payload, dryRun } });
}

export interface BulkAnswer {
  done: number[];
  failed: Array<{ id: number; problem: string }>;
}

/** The gateway's bulk action on chosen dead letters (at most BULK_LIMIT per call). */
export function actOnDeadLetters(token: string, action: 'replay' | 'discard', ids: number[]): Promise<BulkAnswer> {
  return callApi<BulkAnswer>(`/api/v1/admin/dead-letters/${action}`, { token, method: 'POST', body: { ids } });
}

export const BULK_LIMIT = 500;
