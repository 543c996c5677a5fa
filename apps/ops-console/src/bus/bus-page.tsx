import { useEffect, useState } from 'react';
import { getBus } from '../api';
import { useLoaded } from '../use-loaded';
import { ColumnHeads } from '../column-heads';

/** How often the page reads the bus again. */
const REFRESH_MS = 5_000;

/** Every stream and its consumers, read again every few seconds; a consumer that lags or redelivers stands out. */
export function BusPage({ token }: { token: string }) {
  const [updatedAt, setUpdatedAt] = useState<Date>();
  const [bus, reload] = useLoaded(async () => {
    const state = await getBus(token);
    setUpdatedAt(new Date());
    return state;
  }, [token]);
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  return (
    <section aria-labelledby="bus-title">
      <h2 id="bus-title">Message bus</h2>
      <p>
        Read again every {REFRESH_MS / 1_000} s{updatedAt && `; last read at ${updatedAt.toLocaleTimeString()}`}.
      </p>
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
