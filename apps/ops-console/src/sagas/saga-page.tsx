import { FormEvent, useEffect, useState } from 'react';
import { getOrder } from '../api';
import { hrefOf } from '../route';
import { useLoaded } from '../use-loaded';
import { CustomerOrders } from './customer-orders';
import { RunningSagasTable } from './running-sagas-table';
import { formatDuration, timelineHops } from './timeline';
import { ColumnHeads } from '../column-heads';

/** How often a saga still running is read again. */
const REFRESH_MS = 2_000;

/**
 * Finds an order by id and shows its saga: status, and each step with the service that took it and
 * how long it took. Below, a customer's orders and the sagas still running.
 */
export function SagaPage({ token, orderId }: { token: string; orderId?: string }) {
  const [typed, setTyped] = useState(orderId ?? '');
  const find = (event: FormEvent) => {
    event.preventDefault();
    location.hash = hrefOf({ page: 'sagas', orderId: typed.trim() });
  };
  return (
    <section aria-labelledby="sagas-title">
      <h2 id="sagas-title">Sagas</h2>
      <form className="filters" onSubmit={find}>
        <label htmlFor="order-id">Order id</label>
        <input id="order-id" value={typed} onChange={(event) => setTyped(event.target.value)} required size={40} spellCheck={false} />
        <button type="submit">Find</button>
      </form>
      {orderId && <Saga key={orderId} token={token} orderId={orderId} />}
      <CustomerOrders token={token} />
      <RunningSagasTable token={token} />
    </section>
  );
}

function Saga({ token, orderId }: { token: string; orderId: string }) {
  const [order, reload] = useLoaded(() => getOrder(token, orderId), [token, orderId]);
  const running = order.state === 'loaded' && order.value.status === 'PENDING';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [running]);

  if (order.state === 'loading') return <p role="status">Loading order {orderId}…</p>;
  if (order.state === 'failed') {
    return (
      <p role="alert" className="problem">
        {order.problem}
      </p>
    );
  }
  const { status, cancellationReason, customerId, createdAt } = order.value;
  return (
    <>
      <dl>
        <dt>Status</dt>
        <dd>
          <output aria-label="Order status" className={`status status-${status.toLowerCase()}`}>
            {status}
          </output>
          {cancellationReason && ` (${cancellationReason})`}
          {running && ' · refreshing'}
        </dd>
        <dt>Customer</dt>
        <dd>{customerId}</dd>
        <dt>Placed</dt>
        <dd>{new Date(createdAt).toLocaleString()}</dd>
      </dl>
      <table>
        <caption>Timeline</caption>
        <ColumnHeads names={['Step', 'Service', 'At', 'Hop', 'Since placed']} />
        <tbody>
          {timelineHops(order.value).map((hop) => (
            <tr key={`${hop.type}-${hop.at}`} className={hop.compensation ? 'compensation' : undefined}>
              <th scope="row">
                {hop.type}
                {hop.compensation && ' (compensation)'}
              </th>
              <td>{hop.service}</td>
              <td>{new Date(hop.at).toLocaleTimeString()}</td>
              <td>{formatDuration(hop.hopMs)}</td>
              <td>{formatDuration(hop.sinceOrderMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
