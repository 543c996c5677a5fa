import { randomUUID } from 'node:crypto';
import { createCarrierSimulator } from './carrier';
import { startTestClient, type TestClient } from './test-client';

describe('carrier simulator', () => {
  let client: TestClient;

  beforeAll(async () => {
    client = await startTestClient(createCarrierSimulator());
  });

  afterAll(() => client.stop());

  const newReference = (): string => `order-${randomUUID()}`;
  const address = {
    name: 'Ada Lovelace',
    line1: '12 St James Square',
    city: 'London',
    postalCode: 'SW1Y 4JH',
    country: 'GB',
  };

  function book(body: Record<string, unknown> = {}, idempotencyKey?: string) {
    return client.post('/v1/shipments', { reference: newReference(), address, ...body }, { idempotencyKey });
  }

  it('reports health', async () => {
    expect(await client.get('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('books a shipment with a tracking number', async () => {
    const reference = newReference();
    const response = await book({ reference });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'booked', reference });
    expect(response.body.id).toMatch(/^shp_[0-9a-f]+$/);
    expect(response.body.trackingNumber).toMatch(/^TRK[A-Z0-9]{10}$/);
  });

  it('refuses to ship to Antarctica', async () => {
    const response = await book({ address: { ...address, country: 'AQ' } });

    expect(response.status).toBe(422);
    expect(response.body).toEqual({ error: { code: 'unsupported_destination', message: expect.any(String) } });
  });

  it.each([
    ['DE', '1011'],
    ['DE', 'ABCDE'],
    ['GB', '10115'],
    ['US', '1011-5'],
  ])('refuses an address in %s with the postal code %p, which does not exist there', async (country, postalCode) => {
    const response = await book({ address: { ...address, country, postalCode } });

    expect(response.status).toBe(422);
    expect(response.body).toEqual({ error: { code: 'undeliverable_address', message: expect.any(String) } });
  });

  it('takes any postal code in a country whose postal codes it does not know', async () => {
    expect(await book({ address: { ...address, country: 'IE', postalCode: 'anything' } })).toMatchObject({ status: 201 });
  });

  it.each([
    ['a missing reference', { reference: undefined }],
    ['a missing address', { address: undefined }],
    ['an address without a city', { address: { ...address, city: undefined } }],
    ['a numeric postal code', { address: { ...address, postalCode: 10115 } }],
    ['a lower-case country', { address: { ...address, country: 'gb' } }],
  ])('rejects %s with 400', async (_case, overrides) => {
    const response = await book(overrides);

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: { code: 'invalid_request', message: expect.any(String) } });
  });

  it('rejects malformed JSON with 400', async () => {
    const response = await client.post('/v1/shipments', undefined, { rawBody: 'reference=order-1' });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'malformed_json' } });
  });

  it('requires an Idempotency-Key', async () => {
    const body = { reference: newReference(), address };
    const response = await client.post('/v1/shipments', body, { idempotencyKey: null });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'idempotency_key_missing' } });
  });

  it('replays a repeated booking instead of booking twice', async () => {
    const reference = newReference();
    const key = randomUUID();
    const first = await book({ reference }, key);
    const replay = await book({ reference }, key);

    expect(replay).toMatchObject({ status: 201, body: first.body });
    const listed = await client.get(`/v1/shipments?reference=${reference}`);
    expect(listed.body.shipments).toEqual([first.body]);
  });

  it('refuses a reused key with a different body', async () => {
    const key = randomUUID();
    await book({ reference: 'order-a' }, key);
    const reused = await book({ reference: 'order-b' }, key);

    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ error: { code: 'idempotency_key_reused' } });
  });

  it('cancels a booked shipment once', async () => {
    const reference = newReference();
    const booked = await book({ reference });
    const key = randomUUID();
    const cancelled = await client.post(`/v1/shipments/${booked.body.id}/cancel`, undefined, { idempotencyKey: key });
    const replay = await client.post(`/v1/shipments/${booked.body.id}/cancel`, undefined, { idempotencyKey: key });
    const again = await client.post(`/v1/shipments/${booked.body.id}/cancel`);

    expect(cancelled).toMatchObject({ status: 200, body: { id: booked.body.id, status: 'cancelled' } });
    expect(replay).toMatchObject({ status: 200, body: cancelled.body });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'already_cancelled' } });
    const listed = await client.get(`/v1/shipments?reference=${reference}`);
    expect(listed.body.shipments).toEqual([cancelled.body]);
  });

  it('still replays the original booking after the shipment was cancelled', async () => {
    const key = randomUUID();
    const body = { reference: newReference() };
    const booked = await book(body, key);
    await client.post(`/v1/shipments/${booked.body.id}/cancel`);
    const replay = await book(body, key);

    expect(replay.body).toEqual(booked.body);
    expect(replay.body.status).toBe('booked');
  });

  it('returns 404 when cancelling an unknown shipment', async () => {
    const response = await client.post('/v1/shipments/shp_missing/cancel');

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: 'shipment_not_found' } });
  });

  it('lists shipments filtered by reference', async () => {
    const reference = newReference();
    const first = await book({ reference });
    const second = await book({ reference, address: { ...address, city: 'Berlin', postalCode: '10115', country: 'DE' } });
    const other = await book();

    const filtered = await client.get(`/v1/shipments?reference=${reference}`);
    const all = await client.get('/v1/shipments');

    expect(filtered.body).toEqual({ shipments: [first.body, second.body] });
    expect(all.body.shipments).toEqual(expect.arrayContaining([first.body, second.body, other.body]));
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await client.post('/v1/parcels', {});

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: 'route_not_found' } });
  });
});
