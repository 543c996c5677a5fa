import type { ServicesState } from '../api';
import { ColumnHeads } from '../column-heads';
import { formatBreaker, formatOutbox, needsAttention } from './service-status';

const COLUMNS = ['Service', 'Replica', 'Ready', 'Outbox', 'Breakers', 'Dead letters'];

/** Each service, one row per replica that answered; a service none answered for gets one row saying why. */
export function ServicesTable({ state }: { state: ServicesState }) {
  return (
    <table>
      <caption>Services: every replica that answered within {state.waitedMs / 1_000} s</caption>
      <ColumnHeads names={COLUMNS} />
      <tbody>
        {state.services.map((service) => {
          const deadLetters = (
            <td rowSpan={Math.max(1, service.replicas.length)} className={service.deadLetters ? 'attention' : undefined}>
              {service.deadLetters ?? 'unknown'}
            </td>
          );
          if (service.replicas.length === 0) {
            return (
              <tr key={service.name} className="attention">
                <th scope="row">{service.name}</th>
                <td colSpan={COLUMNS.length - 2}>No answer: {service.noAnswer}</td>
                {deadLetters}
              </tr>
            );
          }
          return service.replicas.map((replica, index) => (
            <tr key={`${service.name}/${replica.replica}`} className={needsAttention(replica) ? 'attention' : undefined}>
              {index === 0 && (
                <th scope="rowgroup" rowSpan={service.replicas.length}>
                  {service.name}
                </th>
              )}
              <td>{replica.replica}</td>
              <td>
                {replica.ready ? 'ready' : 'not ready'}
                {replica.reasons.length > 0 && (
                  <ul className="reasons">
                    {replica.reasons.map((reason) => (
                      <li key={reason}>{reason}</li>
                    ))}
                  </ul>
                )}
              </td>
              <td>{formatOutbox(replica.outbox)}</td>
              <td>{replica.breakers.length === 0 ? 'none' : replica.breakers.map((breaker) => <div key={breaker.dependency}>{formatBreaker(breaker)}</div>)}</td>
              {index === 0 && deadLetters}
            </tr>
          ));
        })}
      </tbody>
    </table>
  );
}
