import { FormEvent, useState } from 'react';
import { useLoaded } from '../use-loaded';
import { AuditEntry, AuditFilter, listAudit } from './audit-api';
import { AuditEntries } from './audit-entries';

const ACTIONS: Array<AuditEntry['action']> = ['replay', 'discard', 'edit-and-replay', 'bulk-replay', 'bulk-discard'];

/** The audit trail, newest first, filtered by dead letter, actor or action, a page at a time. */
export function AuditPage({ token }: { token: string }) {
  const [filter, setFilter] = useState<AuditFilter>({});
  const [form, setForm] = useState({ deadLetterId: '', actor: '', action: '' });
  const [page] = useLoaded(() => listAudit(token, filter), [token, filter]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter({
      deadLetterId: form.deadLetterId ? Number(form.deadLetterId) : undefined,
      actor: form.actor.trim() || undefined,
      action: (form.action || undefined) as AuditEntry['action'] | undefined,
    });
  };

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      <form className="filters" aria-label="Audit filters" onSubmit={apply}>
        <label htmlFor="audit-dead-letter">Dead letter</label>
        <input id="audit-dead-letter" type="number" min={1} value={form.deadLetterId} onChange={(event) => setForm({ ...form, deadLetterId: event.target.value })} />
        <label htmlFor="audit-actor">Operator</label>
        <input id="audit-actor" value={form.actor} onChange={(event) => setForm({ ...form, actor: event.target.value })} />
        <label htmlFor="audit-action">Action</label>
        <select id="audit-action" value={form.action} onChange={(event) => setForm({ ...form, action: event.target.value })}>
          <option value="">all</option>
          {ACTIONS.map((action) => (
            <option key={action}>{action}</option>
          ))}
        </select>
        <button type="submit">Show</button>
      </form>
      {page.state === 'loading' && <p role="status">Loading the audit trail…</p>}
      {page.state === 'failed' && (
        <p role="alert" className="problem">
          The audit trail could not be read: {page.problem}
        </p>
      )}
      {page.state === 'loaded' && (
        <>
          <AuditEntries entries={page.value.entries} caption="Operators’ actions, newest first" />
          {page.value.nextBefore !== null && (
            <button type="button" onClick={() => setFilter({ ...filter, before: page.value.nextBefore ?? undefined })}>
              Older entries
            </button>
          )}
        </>
      )}
    </section>
  );
}
