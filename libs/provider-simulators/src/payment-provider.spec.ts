import { randomUUID } from 'node:crypto';
import { createPaymentProviderSimulator, MAX_AUTHORIZATION_AMOUNT } from './payment-provider';
import { startTestClient, type TestClient } from './test-client';

describe('payment provider simulator', () => {
  let client: TestClient;

  beforeAll(async () => {
    client = await startTestClient(createPaymentProviderSimulator());
  });

  afterAll(() => client.stop());

  const newReference = (): string => `order-${randomUUID()}`;

  function authorize(overrides: Record<string, unknown> = {}, idempotencyKey?: string) {
    const body = { amount: 5000, currency: 'EUR', token: 'tok_visa', reference: newReference(), ...overrides };
    return client.post('/v1/authorizations', body, { idempotencyKey });
  }

  async function approvedAuthorizationId(amount = 5000): Promise<string> {
    const response = await authorize({ amount });
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  async function capturedCaptureId(amount = 5000): Promise<string> {
    const authorizationId = await approvedAuthorizationId(amount);
    const response = await client.post(`/v1/authorizations/${authorizationId}/capture`, { amount });
    expect(response.status).toBe(200);
    return response.body.id as string;
  }

  it('reports health', async () => {
    expect(await client.get('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  describe('authorizations', () => {
    it('approves tok_visa', async () => {
      const reference = newReference();
      const response = await authorize({ amount: 1999, currency: 'USD', reference });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ status: 'approved', amount: 1999, currency: 'USD', reference });
      expect(response.body.id).toMatch(/^auth_[0-9a-f]+$/);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    });

    it('declines tok_declined with 402', async () => {
      const reference = newReference();
      const response = await authorize({ token: 'tok_declined', reference });

      expect(response.status).toBe(402);
      expect(response.body).toMatchObject({ status: 'declined', declineCode: 'card_declined', reference });
      expect(response.body.id).toMatch(/^auth_/);
    });

    it.each(['tok_mastercard', 'constructor'])('rejects the unknown token %p', async (token) => {
      const response = await authorize({ token });

      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: { code: 'invalid_token', message: expect.any(String) } });
    });

    it('approves up to the most one authorization may hold and refuses a cent more', async () => {
      expect(await authorize({ amount: MAX_AUTHORIZATION_AMOUNT })).toMatchObject({ status: 201, body: { status: 'approved' } });

      const response = await authorize({ amount: MAX_AUTHORIZATION_AMOUNT + 1 });

      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: { code: 'amount_too_large', message: expect.any(String) } });
    });

    it.each([
      ['a missing amount', { amount: undefined }],
      ['a string amount', { amount: '5000' }],
      ['a fractional amount', { amount: 10.5 }],
      ['a negative amount', { amount: -1 }],
      ['a lower-case currency', { currency: 'eur' }],
      ['a missing reference', { reference: undefined }],
      ['a numeric token', { token: 42 }],
    ])('rejects %s with 400', async (_case, overrides) => {
      const response = await authorize(overrides);

      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: { code: 'invalid_request', message: expect.any(String) } });
    });

    it('rejects a body that is not an object', async () => {
      const response = await client.post('/v1/authorizations', [5000, 'EUR']);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'invalid_request' } });
    });

    it('rejects malformed JSON with 400', async () => {
      const response = await client.post('/v1/authorizations', undefined, { rawBody: '{"amount": 5000,' });

      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: { code: 'malformed_json', message: expect.any(String) } });
    });

    it('rejects an oversized body with 413', async () => {
      const response = await authorize({ reference: 'x'.repeat(100 * 1024) });

      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ error: { code: 'payload_too_large' } });
    });

    it('requires an Idempotency-Key', async () => {
      const body = { amount: 5000, currency: 'EUR', token: 'tok_visa', reference: newReference() };
      const response = await client.post('/v1/authorizations', body, { idempotencyKey: null });

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'idempotency_key_missing' } });
    });
  });

  describe('idempotency', () => {
    it('replays the stored response without charging twice', async () => {
      const reference = newReference();
      const key = randomUUID();
      const first = await authorize({ reference }, key);
      const replay = await authorize({ reference }, key);

      expect(replay.status).toBe(201);
      expect(replay.body).toEqual(first.body);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      const ledger = await client.get(`/v1/ledger?reference=${reference}`);
      expect(ledger.body.authorizations).toEqual([first.body]);
    });

    it('replays a decline with its original status', async () => {
      const reference = newReference();
      const key = randomUUID();
      const first = await authorize({ token: 'tok_declined', reference }, key);
      const replay = await authorize({ token: 'tok_declined', reference }, key);

      expect(replay).toMatchObject({ status: 402, body: first.body });
    });

    it('treats a body with reordered keys as the same request', async () => {
      const key = randomUUID();
      const body = { amount: 700, currency: 'EUR', token: 'tok_visa', reference: newReference() };
      const first = await client.post('/v1/authorizations', body, { idempotencyKey: key });
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const replay = await client.post('/v1/authorizations', reordered, { idempotencyKey: key });

      expect(replay).toMatchObject({ status: 201, body: first.body });
    });

    it('refuses a reused key with a different body', async () => {
      const key = randomUUID();
      await authorize({ amount: 5000 }, key);
      const reused = await authorize({ amount: 6000 }, key);

      expect(reused.status).toBe(422);
      expect(reused.body).toMatchObject({ error: { code: 'idempotency_key_reused' } });
    });

    it('scopes keys per route', async () => {
      const key = randomUUID();
      const authorization = await authorize({ amount: 300 }, key);
      const capture = await client.post(`/v1/authorizations/${authorization.body.id}/capture`, { amount: 300 }, { idempotencyKey: key });

      expect(capture.status).toBe(200);
      expect(capture.body.id).toMatch(/^cap_/);
    });

    it('does not store a rejected request, so the client can correct it under the same key', async () => {
      const key = randomUUID();
      const invalid = await authorize({ amount: -5 }, key);
      const corrected = await authorize({ amount: 5 }, key);

      expect(invalid.status).toBe(400);
      expect(corrected.status).toBe(201);
    });
  });

  describe('captures', () => {
    it('captures up to the authorized amount', async () => {
      const authorization = await authorize({ amount: 5000, currency: 'GBP' });
      const response = await client.post(`/v1/authorizations/${authorization.body.id}/capture`, { amount: 4000 });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        authorizationId: authorization.body.id,
        status: 'captured',
        amount: 4000,
        currency: 'GBP',
      });
      expect(response.body.id).toMatch(/^cap_[0-9a-f]+$/);
    });

    it('refuses to capture more than was authorized', async () => {
      const authorizationId = await approvedAuthorizationId(5000);
      const response = await client.post(`/v1/authorizations/${authorizationId}/capture`, { amount: 5001 });

      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ error: { code: 'amount_exceeds_authorization' } });
    });

    it('refuses a second capture under a different key', async () => {
      const authorizationId = await approvedAuthorizationId();
      await client.post(`/v1/authorizations/${authorizationId}/capture`, { amount: 5000 });
      const second = await client.post(`/v1/authorizations/${authorizationId}/capture`, { amount: 5000 });

      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({ error: { code: 'already_captured' } });
    });

    it('refuses to capture a declined authorization', async () => {
      const declined = await authorize({ token: 'tok_declined' });
      const response = await client.post(`/v1/authorizations/${declined.body.id}/capture`, { amount: 100 });

      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ error: { code: 'authorization_not_approved' } });
    });

    it('returns 404 for an unknown authorization', async () => {
      const response = await client.post('/v1/authorizations/auth_missing/capture', { amount: 100 });

      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ error: { code: 'authorization_not_found' } });
    });
  });

  describe('voids', () => {
    it('voids an approved authorization and then refuses to capture it', async () => {
      const authorizationId = await approvedAuthorizationId();
      const voided = await client.post(`/v1/authorizations/${authorizationId}/void`);
      const capture = await client.post(`/v1/authorizations/${authorizationId}/capture`, { amount: 100 });

      expect(voided).toMatchObject({ status: 200, body: { id: authorizationId, status: 'voided' } });
      expect(capture.status).toBe(409);
      expect(capture.body).toMatchObject({ error: { code: 'already_voided' } });
    });

    it('refuses to void a captured authorization', async () => {
      const authorizationId = await approvedAuthorizationId();
      await client.post(`/v1/authorizations/${authorizationId}/capture`, { amount: 5000 });
      const response = await client.post(`/v1/authorizations/${authorizationId}/void`);

      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ error: { code: 'already_captured' } });
    });

    it('returns 404 for an unknown authorization', async () => {
      const response = await client.post('/v1/authorizations/auth_missing/void');

      expect(response.status).toBe(404);
    });
  });

  describe('refunds', () => {
    it('refunds in parts up to the captured amount, never beyond', async () => {
      const captureId = await capturedCaptureId(1000);
      const first = await client.post(`/v1/captures/${captureId}/refunds`, { amount: 600 });
      const tooMuch = await client.post(`/v1/captures/${captureId}/refunds`, { amount: 401 });
      const rest = await client.post(`/v1/captures/${captureId}/refunds`, { amount: 400 });
      const beyond = await client.post(`/v1/captures/${captureId}/refunds`, { amount: 1 });

      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ captureId, status: 'refunded', amount: 600 });
      expect(first.body.id).toMatch(/^ref_[0-9a-f]+$/);
      expect(tooMuch.status).toBe(409);
      expect(tooMuch.body).toMatchObject({ error: { code: 'refund_exceeds_capture' } });
      expect(rest.status).toBe(201);
      expect(beyond.status).toBe(409);
    });

    it('returns 404 for an unknown capture', async () => {
      const response = await client.post('/v1/captures/cap_missing/refunds', { amount: 1 });

      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ error: { code: 'capture_not_found' } });
    });
  });

  describe('ledger', () => {
    it('lists what happened for one order when filtered by reference', async () => {
      const reference = newReference();
      const approved = await authorize({ reference, amount: 800 });
      const declined = await authorize({ reference, token: 'tok_declined' });
      const capture = await client.post(`/v1/authorizations/${approved.body.id}/capture`, { amount: 800 });
      const refund = await client.post(`/v1/captures/${capture.body.id}/refunds`, { amount: 200 });
      const voidable = await authorize({ reference, amount: 50 });
      const voided = await client.post(`/v1/authorizations/${voidable.body.id}/void`);
      await authorize({ reference: newReference() });

      const ledger = await client.get(`/v1/ledger?reference=${encodeURIComponent(reference)}`);

      expect(ledger.status).toBe(200);
      expect(ledger.body).toEqual({
        authorizations: [approved.body, declined.body, voidable.body],
        captures: [capture.body],
        refunds: [refund.body],
        voids: [voided.body],
      });
    });

    it('lists everything without a filter', async () => {
      const first = await authorize();
      const second = await authorize();

      const ledger = await client.get('/v1/ledger');

      expect(ledger.body.authorizations).toEqual(expect.arrayContaining([first.body, second.body]));
    });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const unknownPath = await client.get('/v1/nothing-here');
    const wrongMethod = await client.get('/v1/authorizations');

    expect(unknownPath.status).toBe(404);
    expect(unknownPath.body).toMatchObject({ error: { code: 'route_not_found' } });
    expect(wrongMethod.status).toBe(404);
  });
});
