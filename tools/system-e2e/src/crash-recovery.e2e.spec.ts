import { OrderView } from '@orders/contracts';
import { ProcessName } from '@orders/local-stack';
import { waitFor } from '@orders/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { netCharge, orderOf, platformForSuite, unitsOf } from './support/platform';

/**
 * A service killed mid-saga and a broker outage delay
 * orders but lose none, and charge nobody twice.
 */
describe('crash and outage recovery, end to end', () => {
  const platform = platformForSuite();

  /** Every order settled, charged exactly its total when confirmed and nothing when cancelled. */
  async function expectSettledAndChargedOnce(token: string, orderIds: string[]): Promise<OrderView[]> {
    const orders = await Promise.all(orderIds.map((orderId) => platform.settled(token, orderId, 180_000)));
    for (const order of orders) {
      const ledger = await platform.paymentLedger(order.orderId);
      expect({ orderId: order.orderId, authorizations: ledger.authorizations.length }).toEqual({ orderId: order.orderId, authorizations: 1 });
      const expected = order.status === 'CONFIRMED' ? order.total!.amount : 0;
      expect({ orderId: order.orderId, status: order.status, charged: netCharge(ledger) }).toEqual({ orderId: order.orderId, status: order.status, charged: expected });
      expect(ledger.captures.length).toBeLessThanOrEqual(1);
    }
    return orders;
  }

  /** Crashes and outages delay work; none of it may end up parked in a dead-letter queue. */
  async function expectNoDeadLetters(): Promise<void> {
    expect(await platform.deadLetters(await platform.login('operator', ['ops']))).toEqual([]);
  }

  async function expectStockConserved(): Promise<void> {
    const stock = await waitFor(
      async () => {
        const current = await platform.stock();
        return [...current.values()].every((row) => row.reserved === 0) ? current : undefined;
      },
      { timeoutMs: 60_000, description: 'no stock left reserved' },
    );
    for (const [sku, initial] of platform.initialStock) expect({ sku, units: unitsOf(stock.get(sku)) }).toEqual({ sku, units: unitsOf(initial) });
  }

  it('8: services SIGKILLed mid-saga and restarted → every saga reaches a terminal state, each charged once', async () => {
    const token = await platform.login('crash-customer');
    const placing = Array.from({ length: 20 }, (_, index) => platform.place(token, orderOf([{ sku: index % 2 ? 'SKU-TSHIRT' : 'SKU-MUG', quantity: 1 }])));
    const victims: ProcessName[] = ['payment-service', 'inventory-service', 'shipping-service', 'order-service'];
    const orderIds: string[] = [];
    // Kill each participant in turn while the first batch is in flight.
    for (const victim of victims) {
      await sleep(150);
      await platform.stack.stopProcess(victim, 'SIGKILL');
      await platform.stack.startProcess(victim);
      if (victim === 'payment-service') orderIds.push(...(await Promise.all(placing)));
    }
    const orders = await expectSettledAndChargedOnce(token, orderIds);
    expect(orders.every((order) => order.status === 'CONFIRMED')).toBe(true);
    await expectStockConserved();
    await expectNoDeadLetters();
  }, 300_000);

  it('9: NATS down while orders are placed → all accepted, all delivered once it returns, none lost or duplicated', async () => {
    const token = await platform.login('outage-customer');
    await platform.nats.stop();
    let orderIds: string[];
    try {
      orderIds = await Promise.all(Array.from({ length: 10 }, () => platform.place(token, orderOf([{ sku: 'SKU-CAP', quantity: 1 }]))));
      // Nothing can progress without the broker: the orders wait in the outbox.
      await sleep(1_000);
      const waiting = await Promise.all(orderIds.map((orderId) => platform.order(token, orderId)));
      expect(waiting.map((order) => order.status)).toEqual(orderIds.map(() => 'PENDING'));
    } finally {
      await platform.nats.start();
    }

    const orders = await expectSettledAndChargedOnce(token, orderIds);
    expect(orders.map((order) => order.status)).toEqual(orderIds.map(() => 'CONFIRMED'));
    const listed = await platform.api<{ items: Array<{ orderId: string }> }>('/api/v1/orders?limit=50', { token });
    expect(listed.body.items.map((order) => order.orderId).sort()).toEqual([...orderIds].sort());
    expect(await Promise.all(orderIds.map(async (orderId) => (await platform.shipments(orderId)).length))).toEqual(orderIds.map(() => 1));
    await expectStockConserved();
    await expectNoDeadLetters();
  }, 300_000);
});
