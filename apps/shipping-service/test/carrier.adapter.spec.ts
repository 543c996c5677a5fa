import { createCarrierSimulator, Shipment, startTestClient, TestClient } from '@orders/provider-simulators';
import { CircuitOpenError, HttpStatusError, type PolicySettings } from '@orders/resilience';
import { PermanentFailure } from '@orders/shared-kernel';
import { randomUUID } from 'node:crypto';
import { HttpCarrier } from '../src/infrastructure/http-carrier';
import { Address } from '../src/domain/address';

const SHIPMENTS = 'POST /v1/shipments';
const CANCEL = 'POST /v1/shipments/:id/cancel';
const BERLIN = Address.of({ name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' });

/** Quick retries so the suite stays fast; Retry-After still sets the minimum wait. */
const FAST: PolicySettings = { retry: { baseDelayMs: 5, maxDelayMs: 2_000 } };

describe('HttpCarrier against the carrier simulator', () => {
  let simulator: TestClient;

  beforeAll(async () => {
    simulator = await startTestClient(createCarrierSimulator());
  });

  afterAll(() => simulator.stop());

  beforeEach(() => simulator.reset());

  const carrier = (settings: PolicySettings = FAST) => new HttpCarrier(simulator.baseUrl, settings);
  const shipmentsOf = async (orderId: string) => (await simulator.get(`/v1/shipments?reference=${orderId}`)).body.shipments as Shipment[];
  const statsOf = async (route: string) => (await simulator.stats())[route];

  async function booked(adapter: HttpCarrier, orderId: string): Promise<string> {
    const outcome = await adapter.schedule({ orderId, address: BERLIN });
    if (outcome.kind !== 'scheduled') throw new Error(`expected it scheduled, got ${outcome.kind}`);
    return outcome.carrierShipmentId;
  }

  it('books one parcel per order, however often the booking is repeated', async () => {
    const orderId = randomUUID();
    const adapter = carrier();

    const first = await adapter.schedule({ orderId, address: BERLIN });
    const repeated = await adapter.schedule({ orderId, address: BERLIN });

    const shipments = await shipmentsOf(orderId);
    expect(first).toEqual({ kind: 'scheduled', carrierShipmentId: shipments[0].id, trackingNumber: shipments[0].trackingNumber });
    expect(repeated).toEqual(first);
    expect(shipments).toHaveLength(1);
  });

  it.each([
    ['a destination the carrier does not serve', { country: 'AQ' }, 'unsupported-destination'],
    ['an address the carrier cannot deliver to', { postalCode: '1011' }, 'address-rejected'],
  ])('reports %s as an outcome, without retrying', async (_case, change, kind) => {
    const address = Address.of({ ...BERLIN.toJSON(), ...change });

    await expect(carrier().schedule({ orderId: randomUUID(), address })).resolves.toEqual({ kind });
    expect(await statsOf(SHIPMENTS)).toMatchObject({ requests: 1 });
  });

  it('retries two 429s after the Retry-After the carrier asked for, and books one parcel', async () => {
    const orderId = randomUUID();
    await simulator.setFaults({ rules: [{ route: SHIPMENTS, failNext: { count: 2, status: 429 }, retryAfterSeconds: 1 }] });

    const startedAt = performance.now();
    const outcome = await carrier().schedule({ orderId, address: BERLIN });
    const elapsed = performance.now() - startedAt;

    expect(outcome).toMatchObject({ kind: 'scheduled' });
    expect(await shipmentsOf(orderId)).toHaveLength(1);
    expect(await statsOf(SHIPMENTS)).toMatchObject({ requests: 3, faulted: 2 });
    // Two waits of at least one second each; a minimum, never a maximum.
    expect(elapsed).toBeGreaterThanOrEqual(1_950);
  });

  it('cancels once, retrying a 503, and treats an already cancelled parcel as cancelled', async () => {
    const orderId = randomUUID();
    const adapter = carrier();
    const carrierShipmentId = await booked(adapter, orderId);
    await simulator.setFaults({ rules: [{ route: CANCEL, failNext: { count: 2, status: 503 } }] });

    await adapter.cancel({ orderId, carrierShipmentId });
    // Cancelled again, e.g. by a second replica working on a redelivery, under its own request.
    await simulator.post(`/v1/shipments/${carrierShipmentId}/cancel`);
    await expect(adapter.cancel({ orderId, carrierShipmentId })).resolves.toBeUndefined();

    expect(await shipmentsOf(orderId)).toEqual([expect.objectContaining({ id: carrierShipmentId, status: 'cancelled' })]);
    expect(await statsOf(CANCEL)).toMatchObject({ faulted: 2 });
  });

  it('throws a PermanentFailure for a parcel the carrier does not know, without retrying', async () => {
    const error = await carrier()
      .cancel({ orderId: randomUUID(), carrierShipmentId: 'shp_missing' })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PermanentFailure);
    expect((error as Error).message).toContain('shipment_not_found');
    expect(await statsOf(CANCEL)).toMatchObject({ requests: 1 });
  });

  it.each([400, 403, 422])('throws a PermanentFailure for a booking refused with %i, without retrying', async (status) => {
    await simulator.setFaults({ rules: [{ route: SHIPMENTS, failNext: { count: 1, status } }] });

    await expect(carrier().schedule({ orderId: randomUUID(), address: BERLIN })).rejects.toBeInstanceOf(PermanentFailure);
    expect(await statsOf(SHIPMENTS)).toMatchObject({ requests: 1 });
  });

  it('gives up after its attempts with a transient error carrying the wait the carrier asked for', async () => {
    await simulator.setFaults({ rules: [{ route: SHIPMENTS, errorRates: { 503: 1 }, retryAfterSeconds: 20 }] });
    const orderId = randomUUID();

    const error = await carrier({ retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 } })
      .schedule({ orderId, address: BERLIN })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ status: 503, retryAfterMs: 20_000 });
    expect(await shipmentsOf(orderId)).toEqual([]);
  });

  it('opens the breaker after 5 failures and then fails fast', async () => {
    await simulator.setFaults({ rules: [{ errorRates: { 502: 1 } }] });
    const adapter = carrier({ retry: { attempts: 1 } });
    for (let call = 0; call < 5; call++) {
      await expect(adapter.schedule({ orderId: randomUUID(), address: BERLIN })).rejects.toMatchObject({ status: 502 });
    }

    // One breaker for the whole carrier: cancelling fails fast too.
    await expect(adapter.cancel({ orderId: randomUUID(), carrierShipmentId: 'shp_any' })).rejects.toBeInstanceOf(CircuitOpenError);
    expect(await statsOf(CANCEL)).toMatchObject({ requests: 0 });
  });

  it('keeps its calls to the carrier within the bulkhead limit', async () => {
    await simulator.setFaults({ rules: [{ route: SHIPMENTS, latencyMs: 100 }] });
    const adapter = carrier({ ...FAST, bulkhead: { limit: 3, queue: 10 } });

    const outcomes = await Promise.all(Array.from({ length: 8 }, () => adapter.schedule({ orderId: randomUUID(), address: BERLIN })));

    expect(outcomes.every((outcome) => outcome.kind === 'scheduled')).toBe(true);
    expect(await statsOf(SHIPMENTS)).toMatchObject({ requests: 8, peakInFlight: 3 });
  });
});
