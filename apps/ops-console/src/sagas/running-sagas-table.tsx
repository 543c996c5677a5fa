import { useEffect, useRef, useState } from 'react';
import { listDeadLetterPayloads, listRunningSagas } from '../api';
import { hrefOf } from '../route';
import { useLoaded } from '../use-loaded';
import { deadLettersByOrder, formatCountdown, msLeftAt } from './running-sagas';
import { formatDuration } from './timeline';
import { ColumnHeads } from '../column-heads';

/** How often the running sagas and the dead letters are read again. */
const REFRESH_MS = 3_000;
/** How often the ages and countdowns move on between two reads. */
const TICK_MS = 1_000;

/** The sagas still running, oldest first, each linking to its timeline and to any dead letter that holds it up. */
export function RunningSagasTable({ token }: { token: string }) {
  const payloads = useRef(new Map<number, unknown>());
  const [sagas, reload] = useLoaded(async () => {
    const [page, deadLetters] = await Promise.all([listRunningSagas(token), listDeadLetterPayloads(token, payloads.current)]);
    return { page, deadLetters: deadLettersByOrder(deadLetters), readAt: Date.now() };
  }, [token]);
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const reading = setInterval(reload, REFRESH_MS);
    const ticking = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => {
      clearInterval(reading);
      clearInterval(ticking);
    };
  }, []);

  if (sagas.state === 'loading') return <p role="status">Reading the running sagas…</p>;
  if (sagas.state === 'failed') {
    return (
      <p role="alert" className="problem">
        The running sagas could not be read: {sagas.problem}
      </p>
    );
  }
  const { page, deadLetters, readAt } = sagas.value;
  const sinceRead = Math.max(0, now - readAt);
  return (
    <table>
      <caption>
        Running sagas, oldest first{page.nextCursor ? ` (the ${page.items.length} oldest; more are running)` : ''}: read again every {REFRESH_MS / 1_000} s
      </caption>
      <ColumnHeads names={['Order', 'Customer', 'Age', 'Deadline', 'Waiting for', 'Dead letters']} />
      <tbody>
        {page.items.map((saga) => {
          const msLeft = msLeftAt(saga, sinceRead);
          const held = deadLetters.get(saga.orderId) ?? [];
          return (
            <tr key={saga.orderId} className={held.length > 0 || msLeft < 0 ? 'attention' : undefined}>
              <th scope="row">
                <a href={hrefOf({ page: 'sagas', orderId: saga.orderId })}>{saga.orderId}</a>
              </th>
              <td>{saga.customerId}</td>
              <td>{formatDuration(saga.ageMs + sinceRead)}</td>
              <td>
                <time dateTime={saga.deadline} title={new Date(saga.deadline).toLocaleString()}>
                  {formatCountdown(msLeft)}
                </time>
              </td>
              <td>{saga.waitingFor ?? 'nothing: every step is reported'}</td>
              <td>
                {held.length === 0
                  ? 'none'
                  : held.map((id) => (
                      <a key={id} href={hrefOf({ page: 'dead-letters', deadLetterId: id })}>
                        Dead letter #{id}
                      </a>
                    ))}
              </td>
            </tr>
          );
        })}
        {page.items.length === 0 && (
          <tr>
            <td colSpan={6}>No saga is running.</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
