import { FormEvent, useState } from 'react';
import { listCustomerOrders, type OrderView } from '../api';
import { hrefOf } from '../route';
import { useLoaded } from '../use-loaded';
import { ColumnHeads } from '../column-heads';

/** Finds a customer's orders, newest first, each linking to its saga: where an operator starts when a customer asks about "my order". */
export function CustomerOrders({ token }: { token: string }) {
  const [typed, setTyped] = useState('');
  const [customerId, setCustomerId] = useState<string>();
  const find = (event: FormEvent) => {
    event.preventDefault();
    setCustomerId(typed.trim());
  };
  return (
    <>
      <form className="filters" onSubmit={find}>
        <label htmlFor="customer-id">Customer id</label>
        <input id="customer-id" value={typed} onChange={(event) => setTyped(event.target.value)} required size={40} spellCheck={false} />
        <button type="submit">List orders</button>
      </form>
      {customerId && <OrdersOf key={customerId} token={token} customerId={customerId} />}
    </>
  );
}

function OrdersOf({ token, customerId }: { token: string; customerId: string }) {
  const [orders] = useLoaded(() => listCustomerOrders(token, customerId), [token, customerId]);
  if (orders.state === 'loading') return <p role="status">Reading the orders of {customerId}…</p>;
  if (orders.state === 'failed') {
    return (
      <p role="alert" className="problem">
        {orders.problem}
      </p>
    );
  }
  const { items, nextCursor } = orders.value;
  return (
    <table>
      <caption>
        Orders of {customerId}, newest first{nextCursor ? ` (the ${items.length} newest)` : ''}
      </caption>
      <ColumnHeads names={['Order', 'Status', 'Placed', 'Total']} />
      <tbody>
        {items.map((order) => (
          <tr key={order.orderId}>
            <th scope="row">
              <a href={hrefOf({ page: 'sagas', orderId: order.orderId })}>{order.orderId}</a>
            </th>
            <td>
              <span className={`status status-${order.status.toLowerCase()}`}>{order.status}</span>
              {order.cancellationReason && ` (${order.cancellationReason})`}
            </td>
            <td>{new Date(order.createdAt).toLocaleString()}</td>
            <td>{order.total ? formatMoney(order.total) : '—'}</td>
          </tr>
        ))}
        {items.length === 0 && (
          <tr>
            <td colSpan={4}>This customer has no orders.</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

/** Money in minor units as the operator's locale writes it, with as many decimals as the currency has. */
function formatMoney({ amount, currency }: NonNullable<OrderView['total']>): string {
  const format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
  return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}
