import { useState } from 'react';
import { listDeadLetters } from '../api';
import { hrefOf } from '../route';
import { useLoaded } from '../use-loaded';
import { BulkActions } from './bulk-actions';
import { DeadLetterDetail } from './dead-letter-detail';
import { attempts, DeadLetterFilter, groupDeadLetters, Grouping, matchesFilter, NO_FILTER, servicesOf } from './groups';

const when = (iso: string) => new Date(iso).toLocaleString();

/** The dead-letter queue grouped by consumer or by error, filtered, and the one dead letter opened from it. */
export function DeadLettersPage({ token, openId }: { token: string; openId?: number }) {
  const [queue, reload] = useLoaded(() => listDeadLetters(token), [token]);
  const [grouping, setGrouping] = useState<Grouping>('consumer');
  const [filter, setFilter] = useState<DeadLetterFilter>(NO_FILTER);
  const [expanded, setExpanded] = useState<string>();

  if (queue.state === 'loading') return <p role="status">Loading the dead-letter queue…</p>;
  if (queue.state === 'failed') {
    return (
      <p role="alert" className="problem">
        The dead-letter queue could not be read: {queue.problem}
      </p>
    );
  }
  const { deadLetters, complete } = queue.value;
  const shown = deadLetters.filter((deadLetter) => matchesFilter(deadLetter, filter));
  const groups = groupDeadLetters(shown, grouping);

  return (
    <div className="split">
      <section aria-labelledby="dead-letters-title">
        <h2 id="dead-letters-title">Dead letters</h2>
        <p role="status">
          {deadLetters.length} in the queue{complete ? '' : ' (the oldest ones only: there are more)'}.{' '}
          <button type="button" onClick={reload}>
            Refresh
          </button>
        </p>
        <form className="filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
          <label htmlFor="grouping">Group by</label>
          <select id="grouping" value={grouping} onChange={(event) => setGrouping(event.target.value as Grouping)}>
            <option value="consumer">consumer</option>
            <option value="error">error</option>
          </select>
          <label htmlFor="service-filter">Service</label>
          <select id="service-filter" value={filter.service} onChange={(event) => setFilter({ ...filter, service: event.target.value })}>
            <option value="">all</option>
            {servicesOf(deadLetters).map((service) => (
              <option key={service}>{service}</option>
            ))}
          </select>
          <label htmlFor="text-filter">Error or subject contains</label>
          <input id="text-filter" type="search" value={filter.text} onChange={(event) => setFilter({ ...filter, text: event.target.value })} />
        </form>
        <BulkActions token={token} deadLetters={shown} onDone={reload} />
        {groups.length === 0 ? (
          <p>No dead letters{filter === NO_FILTER ? '' : ' match the filters'}.</p>
        ) : (
          <table>
            <caption>Dead letters grouped by {grouping}</caption>
            <thead>
              <tr>
                <th scope="col">{grouping === 'consumer' ? 'Service / consumer' : 'Error'}</th>
                <th scope="col" className="nowrap">
                  Count
                </th>
                <th scope="col">First seen</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            {groups.map((group) => (
              <tbody key={group.key}>
                <tr>
                  <th scope="row">
                    <button
                      type="button"
                      className="group-toggle"
                      aria-expanded={expanded === group.key}
                      onClick={() => setExpanded(expanded === group.key ? undefined : group.key)}
                    >
                      {group.key}
                    </button>
                  </th>
                  <td>{group.count}</td>
                  <td>{when(group.firstSeen)}</td>
                  <td>{when(group.lastSeen)}</td>
                </tr>
                {expanded === group.key &&
                  group.deadLetters.map((deadLetter) => (
                    <tr key={deadLetter.id} className="member">
                      <td>
                        <a href={hrefOf({ page: 'dead-letters', deadLetterId: deadLetter.id })} aria-current={openId === deadLetter.id ? 'true' : undefined}>
                          #{deadLetter.id} {deadLetter.subject}
                        </a>
                      </td>
                      <td className="nowrap">{attempts(deadLetter.attempts)}</td>
                      <td colSpan={2}>
                        {when(deadLetter.failedAt)} · {grouping === 'consumer' ? deadLetter.error : `${deadLetter.service} / ${deadLetter.consumer}`}
                      </td>
                    </tr>
                  ))}
              </tbody>
            ))}
          </table>
        )}
      </section>
      {openId !== undefined && <DeadLetterDetail key={openId} token={token} id={openId} onGone={reload} />}
    </div>
  );
}
