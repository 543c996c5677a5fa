import { simulatorControl, SimulatorControl } from '@orders/provider-simulators';
import { waitFor } from '@orders/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeadLetter, netCharge, orderOf, platformForSuite } from './support/platform';

const REFUNDS = 'POST /v1/captures/:id/refunds';
const VOIDS = 'POST /v1/authorizations/:id/void';
const COMPENSATION_CONCURRENCY = 10;

/**
 * A refund that meets a throttling provider is retried
 * honouring Retry-After, dead-lettered when the provider stays down past the
 * retry budget, and refunded exactly once when an operator replays it; a storm of
 * compensations is throttled to the compensation lane's concurrency.
 */
describe('provider faults during compensations, end to end', () => {
  const platform = platformForSuite({
    env: {
      'payment-service': {
        // Small budgets so exhausting them takes seconds, not minutes.
        PROVIDER_RETRY_ATTEMPTS: '3',
        PROVIDER_RETRY_BASE_MS: '50',
        PROVIDER_RETRY_MAX_MS: '2000',
        CONSUMER_MAX_DELIVERIES: '3',
        CONSUMER_RETRY_BASE_MS: '100',
        CONSUMER_RETRY_MAX_MS: '1000',
        COMPENSATION_CONCURRENCY: String(COMPENSATION_CONCURRENCY),
        COMPENSATION_RATE_PER_SECOND: '1000',
        // Wider than the lane, so only the lane can be what bounds the provider's load.
        PROVIDER_BULKHEAD_LIMIT: '100',
        PROVIDER_BULKHEAD_QUEUE: '100',
      },
    },
  });
  let paymentProvider: SimulatorControl;
  let ops: string;

  beforeAll(async () => {
    paymentProvider = simulatorControl(platform.stack.urls['payment-provider-sim']);
    ops = await platform.login('operator', ['ops']);
  }, 300_000);

  afterEach(async () => {
    await paymentProvider?.reset();
  });

  async function confirmedOrder(customer: string): Promise<{ token: string; orderId: string }> {
    const token = await platform.login(customer);
    const orderId = await platform.place(token, orderOf([{ sku: 'SKU-MUG', quantity: 1 }]));
    expect(await platform.settled(token, orderId)).toMatchObject({ status: 'CONFIRMED' });
    return { token, orderId };
  }

  function deadLetters(): Promise<DeadLetter[]> {
    return platform.deadLetters(ops, 'payment-service');
  }

  async function paymentReadiness(): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${platform.stack.urls['payment-service']}/health/ready`);
    return { status: response.status, body: await response.json() };
  }

  it('5: a refund throttled with 429 + Retry-After is retried after the wait and refunds once', async () => {
    const { token, orderId } = await confirmedOrder('throttled-refund');
    await paymentProvider.setFaults({ rules: [{ route: REFUNDS, failNext: { count: 2, status: 429 }, retryAfterSeconds: 1 }] });

    const cancelledAt = Date.now();
    expect((await platform.cancelOrder(token, orderId)).status).toBeLessThan(300);
    const ledger = await platform.refundedLedger(orderId);

    // Two refusals, each asking for a one-second pause, came before the refund went through.
    expect(Date.now() - cancelledAt).toBeGreaterThanOrEqual(2_000);
    expect((await paymentProvider.stats())[REFUNDS]).toMatchObject({ requests: 3, faulted: 2 });
    expect(ledger.refunds).toHaveLength(1);
    expect(netCharge(ledger)).toBe(0);
    expect((await deadLetters()).filter((letter) => letter.payload.data?.orderId === orderId)).toHaveLength(0);
  });

  it('5: a refund failing past the retry budget lands in the DLQ, shows in readiness, and a replay after recovery refunds exactly once', async () => {
    const { token, orderId } = await confirmedOrder('refund-outage');
    await paymentProvider.setFaults({ rules: [{ route: REFUNDS, errorRates: { '429': 1 }, retryAfterSeconds: 0 }] });
    expect((await platform.cancelOrder(token, orderId)).status).toBeLessThan(300);

    const letter = await waitFor(async () => (await deadLetters()).find((candidate) => candidate.payload.data?.orderId === orderId), {
      timeoutMs: 60_000,
      description: 'the refund to be dead-lettered',
    });
    expect(letter).toMatchObject({ service: 'payment-service', subject: expect.stringMatching(/^order\.cancelled\.v\d+$/), attempts: 3 });
    expect(letter.error).toMatch(/429/);
    // The customer is still charged: visible to operators, not hidden.
    expect(netCharge(await platform.paymentLedger(orderId))).toBeGreaterThan(0);
    const readiness = await paymentReadiness();
    expect(readiness.status).toBe(200);
    expect(JSON.stringify(readiness.body)).toMatch(/dead/i);

    await paymentProvider.clearFaults();
    const replay = await platform.api(`/api/v1/admin/dead-letters/${letter.id}/replay`, { method: 'POST', token: ops });
    expect(replay.status).toBeLessThan(300);

    const ledger = await platform.refundedLedger(orderId);
    expect(netCharge(ledger)).toBe(0);
    expect((await deadLetters()).filter((candidate) => candidate.payload.data?.orderId === orderId)).toHaveLength(0);
    // A second replay of the same entry finds nothing: it was consumed by the first.
    expect((await platform.api(`/api/v1/admin/dead-letters/${letter.id}/replay`, { method: 'POST', token: ops })).status).toBe(404);
    await sleep(1_000);
    expect((await platform.paymentLedger(orderId)).refunds).toHaveLength(1);
  });

  it('6: a storm of 50 simultaneous compensations stays within the compensation concurrency and every one completes', async () => {
    await paymentProvider.setFaults({ rules: [{ route: VOIDS, latencyMs: 300 }] });
    await paymentProvider.resetStats();
    const token = await platform.login('storm');
    const orderIds = await Promise.all(Array.from({ length: 50 }, () => platform.place(token, orderOf([{ sku: 'SKU-STICKERS', quantity: 1 }], { country: 'AQ' }))));

    let unready = 0;
    const orders = await waitFor(
      async () => {
        if ((await paymentReadiness()).status !== 200) unready++;
        const current = await Promise.all(orderIds.map((orderId) => platform.order(token, orderId)));
        return current.every((order) => order.status !== 'PENDING') ? current : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500, description: 'every order of the storm to settle' },
    );
    expect(orders.map((order) => order.cancellationReason)).toEqual(orderIds.map(() => 'SHIPPING_UNAVAILABLE'));

    await waitFor(
      async () => {
        const ledgers = await Promise.all(orderIds.map((orderId) => platform.paymentLedger(orderId)));
        return ledgers.every((ledger) => ledger.voids.length === 1) ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500, description: 'every authorization of the storm to be voided' },
    );
    const voids = (await paymentProvider.stats())[VOIDS];
    expect(voids.peakInFlight).toBeLessThanOrEqual(COMPENSATION_CONCURRENCY);
    expect(voids.peakInFlight).toBeGreaterThan(1);
    expect(unready).toBe(0);
    expect(await deadLetters()).toHaveLength(0);

    // The participant is still healthy: a normal order goes through.
    await paymentProvider.clearFaults();
    await confirmedOrder('after-the-storm');
  });
});
