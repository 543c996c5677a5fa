import { createPaymentProviderSimulator, MAX_AUTHORIZATION_AMOUNT, PaymentLedger, startTestClient, TestClient } from '@orders/provider-simulators';
import { CircuitOpenError, HttpStatusError, isTransient, type PolicySettings, TimeoutError } from '@orders/resilience';
import { Money, PermanentFailure } from '@orders/shared-kernel';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpPaymentProvider } from '../src/infrastructure/http-payment-provider';

const AUTHORIZATIONS = 'POST /v1/authorizations';
const CAPTURE = 'POST /v1/authorizations/:id/capture';
const REFUNDS = 'POST /v1/captures/:id/refunds';
const TOTAL = Money.of(2500, 'EUR');

/** Quick retries so the suite stays fast; Retry-After still sets the minimum wait. */
const FAST: PolicySettings = { retry: { baseDelayMs: 5, maxDelayMs: 2_000 } };

describe('HttpPaymentProvider against the payment provider simulator', () => {
  let simulator: TestClient;

  beforeAll(async () => {
    simulator = await startTestClient(createPaymentProviderSimulator());
  });

  afterAll(() => simulator.stop());

  beforeEach(() => simulator.reset());

  const provider = (settings: PolicySettings = FAST) => new HttpPaymentProvider(simulator.baseUrl, settings);
  const ledgerOf = async (orderId: string) => (await simulator.get(`/v1/ledger?reference=${orderId}`)).body as unknown as PaymentLedger;
  const statsOf = async (route: string) => (await simulator.stats())[route];

  async function authorized(adapter: HttpPaymentProvider, orderId: string): Promise<string> {
    const outcome = await adapter.authorize({ orderId, amount: TOTAL, token: 'tok_visa' });
    if (outcome.kind !== 'approved') throw new Error(`expected an approval, got ${outcome.kind}`);
    return outcome.providerAuthorizationId;
  }

  async function captured(adapter: HttpPaymentProvider, orderId: string): Promise<string> {
    const outcome = await adapter.capture({ orderId, providerAuthorizationId: await authorized(adapter, orderId), amount: TOTAL });
    if (outcome.kind !== 'captured') throw new Error(`expected a capture, got ${outcome.kind}`);
    return outcome.providerCaptureId;
  }

  describe('outcomes', () => {
    it('authorizes with a key derived from the order, so a repeated call charges once', async () => {
      const orderId = randomUUID();
      const adapter = provider();

      const first = await adapter.authorize({ orderId, amount: TOTAL, token: 'tok_visa' });
      const repeated = await adapter.authorize({ orderId, amount: TOTAL, token: 'tok_visa' });

      const ledger = await ledgerOf(orderId);
      expect(first).toEqual({ kind: 'approved', providerAuthorizationId: ledger.authorizations[0].id });
      expect(repeated).toEqual(first);
      expect(ledger.authorizations).toEqual([expect.objectContaining({ amount: 2500, currency: 'EUR', status: 'approved' })]);
    });

    it('reports a declined card as an outcome', async () => {
      await expect(provider().authorize({ orderId: randomUUID(), amount: TOTAL, token: 'tok_declined' })).resolves.toEqual({ kind: 'declined' });
    });

    it.each([
      ['a card token the provider does not know', { amount: TOTAL, token: 'tok_mastercard' }],
      ['a total above what the provider authorizes at once', { amount: Money.of(MAX_AUTHORIZATION_AMOUNT + 1, 'EUR'), token: 'tok_visa' }],
    ])('declines %s, without retrying', async (_case, request) => {
      await expect(provider().authorize({ orderId: randomUUID(), ...request })).resolves.toEqual({ kind: 'declined' });
      expect(await statsOf(AUTHORIZATIONS)).toMatchObject({ requests: 1 });
    });

    it('answers already-captured when voiding an authorization that was captured', async () => {
      const orderId = randomUUID();
      const adapter = provider();
      const authorizationId = await authorized(adapter, orderId);
      await adapter.capture({ orderId, providerAuthorizationId: authorizationId, amount: TOTAL });

      await expect(adapter.void({ orderId, providerAuthorizationId: authorizationId })).resolves.toEqual({ kind: 'already-captured' });
      expect((await ledgerOf(orderId)).voids).toEqual([]);
    });

    it('answers authorization-voided when capturing an authorization that was voided', async () => {
      const orderId = randomUUID();
      const adapter = provider();
      const authorizationId = await authorized(adapter, orderId);

      await expect(adapter.void({ orderId, providerAuthorizationId: authorizationId })).resolves.toEqual({ kind: 'voided' });
      await expect(adapter.capture({ orderId, providerAuthorizationId: authorizationId, amount: TOTAL })).resolves.toEqual({
        kind: 'authorization-voided',
      });
      const ledger = await ledgerOf(orderId);
      expect(ledger.voids).toEqual([expect.objectContaining({ id: authorizationId })]);
      expect(ledger.captures).toEqual([]);
    });

    it('refunds a capture once, however often the refund is repeated', async () => {
      const orderId = randomUUID();
      const adapter = provider();
      const providerCaptureId = await captured(adapter, orderId);

      const first = await adapter.refund({ orderId, providerCaptureId, amount: TOTAL });
      const repeated = await adapter.refund({ orderId, providerCaptureId, amount: TOTAL });

      expect(repeated).toEqual(first);
      expect((await ledgerOf(orderId)).refunds).toEqual([expect.objectContaining({ id: first.providerRefundId, amount: 2500 })]);
    });
  });

  describe('transient failures', () => {
    it('retries two 429s after the Retry-After the provider asked for, and charges once', async () => {
      const orderId = randomUUID();
      await simulator.setFaults({ rules: [{ route: AUTHORIZATIONS, failNext: { count: 2, status: 429 }, retryAfterSeconds: 1 }] });

      const startedAt = performance.now();
      const outcome = await provider().authorize({ orderId, amount: TOTAL, token: 'tok_visa' });
      const elapsed = performance.now() - startedAt;

      expect(outcome).toMatchObject({ kind: 'approved' });
      expect((await ledgerOf(orderId)).authorizations).toHaveLength(1);
      expect(await statsOf(AUTHORIZATIONS)).toMatchObject({ requests: 3, faulted: 2 });
      // Two waits of at least one second each; a minimum, never a maximum.
      expect(elapsed).toBeGreaterThanOrEqual(1_950);
    });

    it('retries a capture and a refund failing with 503 and still captures and refunds exactly once', async () => {
      const orderId = randomUUID();
      const adapter = provider();
      const authorizationId = await authorized(adapter, orderId);
      await simulator.setFaults({
        rules: [
          { route: CAPTURE, failNext: { count: 2, status: 503 } },
          { route: REFUNDS, failNext: { count: 2, status: 503 } },
        ],
      });

      const capture = await adapter.capture({ orderId, providerAuthorizationId: authorizationId, amount: TOTAL });
      if (capture.kind !== 'captured') throw new Error(`expected a capture, got ${capture.kind}`);
      const refund = await adapter.refund({ orderId, providerCaptureId: capture.providerCaptureId, amount: TOTAL });

      const ledger = await ledgerOf(orderId);
      expect(ledger.captures).toEqual([expect.objectContaining({ id: capture.providerCaptureId })]);
      expect(ledger.refunds).toEqual([expect.objectContaining({ id: refund.providerRefundId })]);
      expect(await statsOf(CAPTURE)).toMatchObject({ requests: 3, faulted: 2 });
      expect(await statsOf(REFUNDS)).toMatchObject({ requests: 3, faulted: 2 });
    });

    it('gives up after its attempts with a transient error carrying the wait the provider asked for, refunding nothing', async () => {
      const orderId = randomUUID();
      const adapter = provider({ retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } });
      const providerCaptureId = await captured(adapter, orderId);
      await simulator.setFaults({ rules: [{ route: REFUNDS, errorRates: { 429: 1 }, retryAfterSeconds: 30 }] });

      const error = await adapter.refund({ orderId, providerCaptureId, amount: TOTAL }).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(HttpStatusError);
      expect(error).not.toBeInstanceOf(PermanentFailure);
      expect(error).toMatchObject({ status: 429, retryAfterMs: 30_000 });
      expect(await statsOf(REFUNDS)).toMatchObject({ requests: 3, faulted: 3 });
      expect((await ledgerOf(orderId)).refunds).toEqual([]);

      // Once the provider accepts again, the redelivered refund goes through once.
      await simulator.clearFaults();
      await adapter.refund({ orderId, providerCaptureId, amount: TOTAL });
      expect((await ledgerOf(orderId)).refunds).toHaveLength(1);
    });

    it('does not repeat a charge that took effect although the call timed out', async () => {
      const orderId = randomUUID();
      await simulator.setFaults({ rules: [{ route: AUTHORIZATIONS, latencyMs: 300 }] });
      const adapter = provider({ ...FAST, timeoutMs: 100, retry: { attempts: 1 } });

      await expect(adapter.authorize({ orderId, amount: TOTAL, token: 'tok_visa' })).rejects.toBeInstanceOf(TimeoutError);
      // The provider finishes the abandoned request after its latency; the redelivered call must not charge again.
      await sleep(300);
      await simulator.clearFaults();
      const outcome = await adapter.authorize({ orderId, amount: TOTAL, token: 'tok_visa' });

      const ledger = await ledgerOf(orderId);
      expect(ledger.authorizations).toHaveLength(1);
      expect(outcome).toEqual({ kind: 'approved', providerAuthorizationId: ledger.authorizations[0].id });
    });
  });

  describe('permanent refusals', () => {
    it('throws a PermanentFailure for a request of ours the provider refuses with 400, without retrying', async () => {
      const error = await provider()
        .authorize({ orderId: randomUUID(), amount: TOTAL, token: ' ' })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(PermanentFailure);
      expect((error as Error).message).toContain('invalid_request');
      expect(await statsOf(AUTHORIZATIONS)).toMatchObject({ requests: 1 });
    });

    it.each([400, 401, 403, 404, 422])('throws a PermanentFailure for %i, without retrying', async (status) => {
      await simulator.setFaults({ rules: [{ route: AUTHORIZATIONS, failNext: { count: 1, status } }] });

      await expect(provider().authorize({ orderId: randomUUID(), amount: TOTAL, token: 'tok_visa' })).rejects.toBeInstanceOf(PermanentFailure);
      expect(await statsOf(AUTHORIZATIONS)).toMatchObject({ requests: 1, faulted: 1 });
    });

    it('throws a PermanentFailure for a refusal that is not a modelled outcome', async () => {
      const orderId = randomUUID();
      const adapter = provider();
      const authorizationId = await authorized(adapter, orderId);

      // More than was authorized: the provider answers 409 amount_exceeds_authorization.
      const error = await adapter.capture({ orderId, providerAuthorizationId: authorizationId, amount: Money.of(9_999, 'EUR') }).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(PermanentFailure);
      expect((error as Error).message).toContain('amount_exceeds_authorization');
    });
  });

  describe('guards', () => {
    it('opens the breaker after 5 failures and then fails fast without calling the provider', async () => {
      await simulator.setFaults({ rules: [{ route: AUTHORIZATIONS, errorRates: { 503: 1 } }] });
      const adapter = provider({ retry: { attempts: 1 } });
      const attempt = () => adapter.authorize({ orderId: randomUUID(), amount: TOTAL, token: 'tok_visa' }).catch((caught: unknown) => caught);
      for (let call = 0; call < 5; call++) {
        expect(await attempt()).toMatchObject({ status: 503 });
      }

      const error = await attempt();

      expect(error).toBeInstanceOf(CircuitOpenError);
      expect(isTransient(error)).toBe(true);
      expect((error as CircuitOpenError).retryAfterMs).toBeGreaterThan(0);
      expect(await statsOf(AUTHORIZATIONS)).toMatchObject({ requests: 5 });
    });

    it('keeps its calls to the provider within the bulkhead limit', async () => {
      await simulator.setFaults({ rules: [{ route: AUTHORIZATIONS, latencyMs: 100 }] });
      const adapter = provider({ ...FAST, bulkhead: { limit: 2, queue: 10 } });

      const outcomes = await Promise.all(Array.from({ length: 6 }, () => adapter.authorize({ orderId: randomUUID(), amount: TOTAL, token: 'tok_visa' })));

      expect(outcomes.every((outcome) => outcome.kind === 'approved')).toBe(true);
      expect(await statsOf(AUTHORIZATIONS)).toMatchObject({ requests: 6, peakInFlight: 2 });
    });
  });
});
