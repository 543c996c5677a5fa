import { hrefOf } from '../route';
import { AuditEntry } from './audit-api';
import { describeChange, describeEntry } from './audit-format';

/**
 * Audit entries as a table: when, who, what and on which dead letters, and what changed or failed.
 * Under one dead letter (`ofOneDeadLetter`) the dead letters are not listed again.
 */
export function AuditEntries({ entries, caption, ofOneDeadLetter = false }: { entries: readonly AuditEntry[]; caption: string; ofOneDeadLetter?: boolean }) {
  if (entries.length === 0) return <p>No audit entries.</p>;
  return (
    <table className="audit">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">When, who</th>
          <th scope="col">What</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.id}>
            <td>
              {new Date(entry.at).toLocaleString()}
              <br />
              {entry.actor.subject} ({entry.actor.roles.join(', ')})
            </td>
            <th scope="row">{describeEntry(entry)}</th>
            <td>
              <ul className="plain">
                {(ofOneDeadLetter ? [] : entry.deadLetters.slice(0, 3)).map((letter) => (
                  <li key={letter.id}>
                    <a href={hrefOf({ page: 'dead-letters', deadLetterId: letter.id })}>#{letter.id}</a> {letter.subject}, {letter.consumer}
                    {letter.orderId && (
                      <>
                        , order <a href={hrefOf({ page: 'sagas', orderId: letter.orderId })}>{letter.orderId}</a>
                      </>
                    )}
                  </li>
                ))}
                {entry.changes?.map((change) => (
                  <li key={change.path}>Changed {describeChange(change)}</li>
                ))}
                {entry.failed?.map(({ id, problem }) => (
                  <li key={id} className="problem">
                    #{id}: {problem}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
