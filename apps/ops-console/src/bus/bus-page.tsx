import { useEffect, useState } from 'react';
import { getBus, getServices } from '../api';
import { useLoaded } from '../use-loaded';
import { ColumnHeads } from '../column-heads';
import { ServicesTable } from './services-table';

/** How often the page reads the services and the bus again. */
const REFRESH_MS = 5_000;

/**
 * Every service replica's readiness, outbox and breakers, then every stream and its consumers,
 * read again every few seconds unless paused; what needs a look stands out.
 */
export function BusPage({ token }: { token: string }) {
  const [updatedAt, setUpdatedAt] = useState<Date>();
  const [paused, setPaused] = useState(false);
  const [services, reloadServices] = useLoaded(() => getServices(token), [token]);
  const [bus, reload] = useLoaded(async () => {
    const state = await getBus(token);
    setUpdatedAt(new Date());
    return state;
  }, [token]);
  useEffect(() => {
    if (paused) return;
    const timer = setInterval(() => {
      reload();
      reloadServices();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [paused]);

  return (
    <section aria-labelledby="bus-title">
      <h2 id="bus-title">Message bus</h2>
      <p>
        {paused ? 'Paused' : `Read again every ${REFRESH_MS / 1_000} s`}
        {updatedAt && `; last read at ${updatedAt.toLocaleTimeString()}`}.{' '}
        <button type="button" onClick={() => setPaused(!paused)}>
          {paused ? 'Resume' : 'Pause'}
        </button>
      </p>
      {services.state === 'loading' && <p role="status">Asking the services…</p>}
      {services.state === 'failed' && (
        <p role="alert" className="problem">
          The services could not be asked: {services.problem}
        </p>
      )}
      {services.state === 'loaded' && <ServicesTable state={services.value} />}
      {bus.state === 'loading' && <p role="status">Reading the bus…</p>}
      {bus.state === 'failed' && (
        <p role="alert" className="problem">
          The bus could not be read: {bus.problem}
        </p>
      )}
      {bus.state === 'loaded' &&
        bus.value.streams.map((stream) => (
          <table key={stream.name} className="fixed-columns">
            <caption>
              {stream.name} ({stream.subjects.join(', ')}): {stream.messages} messages, {stream.replicas} {stream.replicas === 1 ? 'replica' : 'replicas'}
            </caption>
            <ColumnHeads names={['Consumer', 'Pending', 'Unacknowledged', 'Redelivered']} />
            <tbody>
              {stream.consumers.map((consumer) => (
                <tr key={consumer.name} className={consumer.pending + consumer.redelivered > 0 ? 'attention' : undefined}>
                  <th scope="row">{consumer.name}</th>
                  <td>{consumer.pending}</td>
                  <td>{consumer.ackPending}</td>
                  <td>{consumer.redelivered}</td>
                </tr>
              ))}
              {stream.consumers.length === 0 && (
                <tr>
                  <td colSpan={4}>No consumers.</td>
                </tr>
              )}
            </tbody>
          </table>
        ))}
    </section>
  );
}
