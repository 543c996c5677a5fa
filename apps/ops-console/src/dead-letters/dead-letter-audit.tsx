import { listAudit } from '../audit/audit-api';
import { AuditEntries } from '../audit/audit-entries';
import { useLoaded } from '../use-loaded';

/** What operators did to one dead letter; `generation` changes after an action, to read it again. */
export function DeadLetterAudit({ token, id, generation }: { token: string; id: number; generation: number }) {
  const [page] = useLoaded(() => listAudit(token, { deadLetterId: id }), [token, id, generation]);
  return (
    <section aria-labelledby="dead-letter-audit-title">
      <h3 id="dead-letter-audit-title">Audit trail</h3>
      {page.state === 'loading' && <p role="status">Loading the audit trail…</p>}
      {page.state === 'failed' && (
        <p role="alert" className="problem">
          The audit trail could not be read: {page.problem}
        </p>
      )}
      {page.state === 'loaded' && <AuditEntries entries={page.value.entries} caption={`Audit trail of dead letter #${id}`} ofOneDeadLetter />}
    </section>
  );
}
