import { randomUUID } from 'node:crypto';
import { FaultInjector } from './faults';
import { createPaymentProviderSimulator } from './payment-provider';
import { startTestClient, type TestClient } from './test-client';

const REFUNDS = 'POST /v1/captures/:id/refunds';
const AUTHORIZATIONS = 'POST /v1/authorizations';

describe('fault injection in a simulator', () => {
  let client: TestClient;

  beforeAll(async () => {
    client = await startTestClient(createPaymentProviderSimulator());
  });

  afterAll(() => client.stop());

  afterEach(async () => {
    await client.clearFaults();
  });

  const authorize = (reference = `order-${randomUUID()}`, idempotencyKey?: string) =>
    client.post('/v1/authorizations', { amount: 1000, currency: 'EUR', token: 'tok_visa', reference }, { idempotencyKey });

  async function captureId(reference: string): Promise<string> {
    const authorization = await authorize(reference);
    const capture = await client.post(`/v1/authorizations/${authorization.body.id}/capture`, { amount: 1000 });
    expect(capture.status).toBe(200);
    return capture.body.id as string;
  }

  describe('control API', () => {
    it('sets, shows and clears faults', async () => {
      const rules = [{ route: REFUNDS, failNext: { count: 2, status: 429 }, retryAfterSeconds: 1 }];

      expect(await client.faults()).toEqual({ rules: [] });
      expect(await client.setFaults({ rules })).toEqual({ rules });
      expect(await client.faults()).toEqual({ rules });
      await client.clearFaults();
      expect(await client.faults()).toEqual({ rules: [] });
    });

    it('replaces the faults as a whole', async () => {
      await client.setFaults({ rules: [{ route: REFUNDS, latencyMs: 10 }] });
      await client.setFaults({ rules: [{ route: AUTHORIZATIONS, latencyMs: 20 }] });

      expect(await client.faults()).toEqual({ rules: [{ route: AUTHORIZATIONS, latencyMs: 20 }] });
    });

    it.each([
      ['an unknown route', { rules: [{ route: 'POST /v1/charges' }] }, /Unknown route\(s\) POST \/v1\/charges/],
      ['a route without its method', { rules: [{ route: '/v1/authorizations' }] }, /Unknown route/],
      ['error rates above 1 in total', { rules: [{ errorRates: { 429: 0.7, 503: 0.4 } }] }, /add up to more than 1/],
      ['a success status as an error', { rules: [{ errorRates: { 200: 0.5 } }] }, /errorRates\.200/],
      ['a failNext status that is no error', { rules: [{ failNext: { count: 1, status: 302 } }] }, /failNext/],
      ['a misspelt setting', { rules: [{ latency: 100 }] }, /latency/],
      ['no rules list', { route: REFUNDS }, /rules/],
    ])('refuses %s with 400 and keeps the faults it had', async (_case, config, message) => {
      await client.setFaults({ rules: [{ route: REFUNDS, latencyMs: 1 }] });

      const response = await client.put('/_faults', config);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'invalid_faults', message: expect.stringMatching(message) } });
      expect(await client.faults()).toEqual({ rules: [{ route: REFUNDS, latencyMs: 1 }] });
    });
  });

  describe('failing the next requests', () => {
    it('fails exactly the next N calls of a route with Retry-After, without any effect, then lets them through', async () => {
      const reference = `order-${randomUUID()}`;
      const capture = await captureId(reference);
      await client.setFaults({ rules: [{ route: REFUNDS, failNext: { count: 3, status: 429 }, retryAfterSeconds: 2 }] });
      const key = randomUUID();

      const faulted = [];
      for (let call = 0; call < 3; call++) {
        faulted.push(await client.post(`/v1/captures/${capture}/refunds`, { amount: 1000 }, { idempotencyKey: key }));
      }
      const afterwards = await client.post(`/v1/captures/${capture}/refunds`, { amount: 1000 }, { idempotencyKey: key });

      for (const response of faulted) {
        expect(response.status).toBe(429);
        expect(response.headers.get('retry-after')).toBe('2');
        expect(response.body).toMatchObject({ error: { code: 'rate_limited' } });
      }
      // The key was not burnt by the faults: the same request now refunds, once.
      expect(afterwards.status).toBe(201);
      expect(afterwards.headers.get('idempotent-replayed')).toBeNull();
      const ledger = await client.get(`/v1/ledger?reference=${reference}`);
      expect(ledger.body.refunds).toEqual([afterwards.body]);
      expect(await client.faults()).toEqual({
        rules: [{ route: REFUNDS, failNext: { count: 0, status: 429 }, retryAfterSeconds: 2 }],
      });
    });

    it('leaves other routes alone', async () => {
      await client.setFaults({ rules: [{ route: REFUNDS, failNext: { count: 5, status: 503 } }] });

      expect((await authorize()).status).toBe(201);
      expect(await client.faults()).toMatchObject({ rules: [{ failNext: { count: 5 } }] });
    });

    it('applies a rule without a route to every provider route, but never to health or the control API', async () => {
      await client.setFaults({ rules: [{ failNext: { count: 2, status: 500 } }] });

      expect((await client.get('/health/live')).status).toBe(200);
      expect((await client.get('/v1/ledger')).status).toBe(500);
      expect((await authorize()).status).toBe(500);
      expect((await authorize()).status).toBe(201);
    });

    it('sends no Retry-After on statuses that do not take one', async () => {
      await client.setFaults({ rules: [{ route: AUTHORIZATIONS, failNext: { count: 1, status: 500 }, retryAfterSeconds: 5 }] });

      const response = await authorize();

      expect(response.status).toBe(500);
      expect(response.headers.get('retry-after')).toBeNull();
      expect(response.body).toMatchObject({ error: { code: 'injected_fault' } });
    });
  });

  describe('error rates', () => {
    it('fails every request at rate 1 and none at rate 0, with Retry-After on 503', async () => {
      const reference = `order-${randomUUID()}`;
      await client.setFaults({ rules: [{ route: AUTHORIZATIONS, errorRates: { 503: 1 }, retryAfterSeconds: 3 }] });
      const failed = [await authorize(reference), await authorize(reference)];
      await client.setFaults({ rules: [{ route: AUTHORIZATIONS, errorRates: { 503: 0 } }] });
      const passed = await authorize(reference);

      expect(failed.map((response) => [response.status, response.headers.get('retry-after')])).toEqual([
        [503, '3'],
        [503, '3'],
      ]);
      expect(passed.status).toBe(201);
      expect((await client.get(`/v1/ledger?reference=${reference}`)).body.authorizations).toEqual([passed.body]);
    });

    it('picks the status by its share of the random draw', async () => {
      let draw = 0;
      const injector = new FaultInjector([REFUNDS], { rules: [{ errorRates: { 429: 0.5, 503: 0.2 } }] }, () => draw);
      const outcomes = [];
      for (const value of [0, 0.49, 0.5, 0.69, 0.7, 0.99]) {
        draw = value;
        outcomes.push(
          await injector.intercept<string | number>(
            REFUNDS,
            () => 'handled',
            (fault) => fault.status,
          ),
        );
      }

      expect(outcomes).toEqual([429, 429, 503, 503, 'handled', 'handled']);
    });
  });

  describe('latency and statistics', () => {
    it('delays matching requests and reports the peak of concurrent requests per route', async () => {
      await client.resetStats();
      await client.setFaults({ rules: [{ route: AUTHORIZATIONS, latencyMs: 150 }] });

      const startedAt = performance.now();
      const responses = await Promise.all(Array.from({ length: 4 }, () => authorize()));
      const elapsed = performance.now() - startedAt;
      await client.get('/v1/ledger');

      expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201]);
      expect(elapsed).toBeGreaterThanOrEqual(145);
      const stats = await client.stats();
      expect(stats[AUTHORIZATIONS]).toEqual({ requests: 4, faulted: 0, inFlight: 0, peakInFlight: 4 });
      expect(stats['GET /v1/ledger']).toEqual({ requests: 1, faulted: 0, inFlight: 0, peakInFlight: 1 });
      expect(stats['GET /health/live']).toBeUndefined();
    });

    it('counts faulted requests and starts afresh on reset', async () => {
      await client.setFaults({ rules: [{ route: AUTHORIZATIONS, failNext: { count: 2, status: 503 } }] });
      await client.resetStats();
      await authorize();
      await authorize();
      await authorize();

      expect((await client.stats())[AUTHORIZATIONS]).toEqual({ requests: 3, faulted: 2, inFlight: 0, peakInFlight: 1 });
      await client.resetStats();
      expect((await client.stats())[AUTHORIZATIONS]).toEqual({ requests: 0, faulted: 0, inFlight: 0, peakInFlight: 0 });
    });
  });

  it('starts with the faults it was created with', async () => {
    const configured = await startTestClient(createPaymentProviderSimulator({ faults: { rules: [{ route: AUTHORIZATIONS, failNext: { count: 1, status: 502 } }] } }));
    try {
      const first = await configured.post('/v1/authorizations', { amount: 1, currency: 'EUR', token: 'tok_visa', reference: 'order-1' });

      expect(first.status).toBe(502);
    } finally {
      await configured.stop();
    }
  });
});
