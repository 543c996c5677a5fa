import { ProcessName } from '@orders/local-stack';
import { waitFor } from '@orders/testing';
import { expectQuiescence } from './chaos/quiescence';
import { netCharge, orderOf, platformForSuite } from './support/platform';

const SAGA_TIMEOUT_MS = 6_000;

/**
 * Saga deadlines and reservation expiry: a saga stuck behind a participant that
 * is down ends TIMED_OUT, and whatever that participant does once it is back for
 * the cancelled order (a late authorization, a late booking, a late reservation)
 * is compensated.
 */
describe('saga deadlines, end to end', () => {
  const platform = platformForSuite({
    env: {
      'order-service': { SAGA_TIMEOUT_MS: String(SAGA_TIMEOUT_MS), SAGA_WATCHDOG_INTERVAL_MS: '500' },
      'inventory-service': { RESERVATION_TTL_MS: '3000', RESERVATION_SWEEP_INTERVAL_MS: '500' },
    },
  });

  /**
   * Places an order while `participant` is down, waits for it to time out, then brings the participant
   * back and waits until it, and every service after it, has handled what it missed: what the test then
   * finds is what the late participant did, not what it has not done yet.
   */
  async function timeOutWhileDown(participant: ProcessName, customer: string, sku: string): Promise<{ token: string; orderId: string }> {
    const token = await platform.login(customer);
    await platform.stack.stopProcess(participant);
    try {
      const orderId = await platform.place(token, orderOf([{ sku, quantity: 1 }]));
      const order = await platform.settled(token, orderId, 4 * SAGA_TIMEOUT_MS);
      expect(order).toMatchObject({ status: 'CANCELLED', cancellationReason: 'TIMED_OUT' });
      return { token, orderId };
    } finally {
      await platform.stack.startProcess(participant);
    }
    await expectQuiescence(platform);
  }

  async function expectStockBack(sku: string): Promise<void> {
    await waitFor(
      async () => {
        const row = (await platform.stock()).get(sku);
        return row && row.available === platform.initialStock.get(sku)!.available && row.reserved === 0 ? true : undefined;
      },
      { timeoutMs: 30_000, description: `${sku} to be back in stock` },
    );
  }

  it('14: inventory down → the watchdog cancels TIMED_OUT; the late reservation is released and nothing is authorized', async () => {
    const { token, orderId } = await timeOutWhileDown('inventory-service', 'patient-1', 'SKU-TSHIRT');
    await expectStockBack('SKU-TSHIRT');
    const ledger = await platform.paymentLedger(orderId);
    expect(ledger.authorizations).toHaveLength(0);
    expect(await platform.order(token, orderId)).toMatchObject({ status: 'CANCELLED', cancellationReason: 'TIMED_OUT' });
  });

  it('14: payment down → TIMED_OUT, stock released; a late authorization is voided, nothing captured', async () => {
    const { orderId } = await timeOutWhileDown('payment-service', 'patient-2', 'SKU-HOODIE');
    await expectStockBack('SKU-HOODIE');
    const ledger = await waitFor(
      async () => {
        const current = await platform.paymentLedger(orderId);
        const approved = current.authorizations.filter((authorization) => authorization.status === 'approved').length;
        return approved === current.voids.length ? current : undefined;
      },
      { timeoutMs: 30_000, description: 'every late authorization to be voided' },
    );
    expect(ledger.captures).toHaveLength(0);
    expect(netCharge(ledger)).toBe(0);
  });

  it('14: shipping down → TIMED_OUT, authorization voided; a late booking is cancelled', async () => {
    const { orderId } = await timeOutWhileDown('shipping-service', 'patient-3', 'SKU-CAP');
    await expectStockBack('SKU-CAP');
    const ledger = await waitFor(
      async () => {
        const current = await platform.paymentLedger(orderId);
        return current.voids.length === 1 ? current : undefined;
      },
      { timeoutMs: 30_000, description: 'the authorization to be voided' },
    );
    expect(ledger.authorizations).toEqual([expect.objectContaining({ status: 'approved' })]);
    expect(ledger.captures).toHaveLength(0);
    await waitFor(async () => ((await platform.shipments(orderId)).every((shipment) => shipment.status === 'cancelled') ? true : undefined), {
      timeoutMs: 30_000,
      description: 'no booked shipment left',
    });
  });
});
