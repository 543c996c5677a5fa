import { ADDRESS } from '../support/platform';
import { Observations } from './ground-truth';
import { checkInvariants, InvariantInput } from './invariants';
import { ClientOrder } from './load-generator';

const EUR = 'EUR';
const shipment = (reference: string, status: 'booked' | 'cancelled') => ({ id: `shp-${reference}`, trackingNumber: 'TRK1', status, reference, address: ADDRESS });

/**
 * A small world where every promise holds: a confirmed order, a declined one, and one
 * confirmed, then cancelled by its customer (refunded, restocked, shipment cancelled).
 */
function consistentWorld(): InvariantInput {
  const client: ClientOrder[] = [
    {
      customerId: 'ann',
      key: 'k1',
      kind: 'duplicate-concurrent',
      placeAnswers: [
        { kind: 'accepted', orderId: 'o1' },
        { kind: 'accepted', orderId: 'o1' },
      ],
    },
    { customerId: 'ann', key: 'k2', kind: 'declined', placeAnswers: [{ kind: 'accepted', orderId: 'o2' }] },
    { customerId: 'bob', key: 'k3', kind: 'cancel-late', placeAnswers: [{ kind: 'accepted', orderId: 'o3' }], cancel: { kind: 'cancelled' } },
  ];
  const observed: Observations = {
    orders: [
      { id: 'o1', customerId: 'ann', status: 'CONFIRMED', cancellationReason: null, total: 500, items: [{ sku: 'SKU-A', quantity: 2 }] },
      { id: 'o2', customerId: 'ann', status: 'CANCELLED', cancellationReason: 'PAYMENT_DECLINED', total: 250, items: [{ sku: 'SKU-A', quantity: 1 }] },
      { id: 'o3', customerId: 'bob', status: 'CANCELLED', cancellationReason: 'CUSTOMER_CANCELLED', total: 750, items: [{ sku: 'SKU-A', quantity: 3 }] },
    ],
    idempotencyKeys: [
      { customerId: 'ann', key: 'k1', orderId: 'o1' },
      { customerId: 'ann', key: 'k2', orderId: 'o2' },
      { customerId: 'bob', key: 'k3', orderId: 'o3' },
    ],
    stock: new Map([['SKU-A', { available: 8, reserved: 0, committed: 2 }]]),
    ledger: {
      authorizations: [
        { id: 'a1', status: 'approved', amount: 500, currency: EUR, reference: 'o1' },
        { id: 'a2', status: 'declined', amount: 250, currency: EUR, reference: 'o2', declineCode: 'card_declined' },
        { id: 'a3', status: 'approved', amount: 750, currency: EUR, reference: 'o3' },
      ],
      captures: [
        { id: 'c1', authorizationId: 'a1', status: 'captured', amount: 500, currency: EUR, reference: 'o1' },
        { id: 'c3', authorizationId: 'a3', status: 'captured', amount: 750, currency: EUR, reference: 'o3' },
      ],
      refunds: [{ id: 'r3', captureId: 'c3', status: 'refunded', amount: 750, currency: EUR, reference: 'o3' }],
      voids: [],
    },
    shipments: [shipment('o1', 'booked'), shipment('o3', 'cancelled')],
  };
  return { observed, baseline: new Map([['SKU-A', { available: 10, reserved: 0, committed: 0 }]]), client };
}

function violated(input: InvariantInput): string[] {
  return checkInvariants(input)
    .filter((result) => result.violations.length > 0)
    .map((result) => result.name);
}

/** A fresh consistent world, changed by `change`: each test breaks exactly one thing. */
function worldWhere(change: (world: InvariantInput & { client: ClientOrder[] }) => void): InvariantInput {
  const world = consistentWorld() as InvariantInput & { client: ClientOrder[] };
  change(world);
  return world;
}

describe('chaos invariants', () => {
  it('finds nothing wrong in a consistent world, and says how much it checked', () => {
    const results = checkInvariants(consistentWorld());
    expect(results.flatMap((result) => result.violations)).toEqual([]);
    for (const result of results) expect({ name: result.name, checkedSomething: result.checked > 0 }).toEqual({ name: result.name, checkedSomething: true });
  });

  it('an order left PENDING', () => {
    expect(violated(worldWhere((world) => (world.observed.orders[0].status = 'PENDING')))).toContain('orders-settled');
  });

  it('an accepted order missing from the database', () => {
    const world = worldWhere((world) => world.client.push({ customerId: 'cy', key: 'k9', kind: 'normal', placeAnswers: [{ kind: 'accepted', orderId: 'o9' }] }));
    expect(violated(world)).toEqual(['accepted-orders-stored']);
  });

  it('one key answered with two order ids', () => {
    const world = worldWhere((world) => (world.client[0].placeAnswers[1] = { kind: 'accepted', orderId: 'o2' }));
    expect(violated(world)).toContain('one-order-per-key');
  });

  it('an order in the database that no key the client sent made', () => {
    const world = worldWhere((world) => (world.observed.idempotencyKeys[2] = { customerId: 'bob', key: 'someone-elses', orderId: 'o3' }));
    expect(violated(world)).toContain('one-order-per-key');
  });

  it('a valid order refused, or a cancel refused', () => {
    expect(violated(worldWhere((world) => world.client[1].placeAnswers.push({ kind: 'refused', status: 422, body: {} })))).toEqual(['answers-as-specified']);
    expect(violated(worldWhere((world) => (world.client[2].cancel = { kind: 'refused', status: 404, body: {} })))).toEqual(['answers-as-specified']);
  });

  it('an order ending where its request cannot: a valid card declined, or a cancel answered 202 that did not cancel', () => {
    expect(violated(worldWhere((world) => (world.client[1].kind = 'normal')))).toEqual(['outcome-as-requested']);
    const uncancelled = worldWhere((world) => {
      world.client[0].kind = 'cancel-early';
      world.client[0].cancel = { kind: 'cancelled' };
    });
    expect(violated(uncancelled)).toEqual(['outcome-as-requested']);
  });

  it('units created or lost, and units left reserved', () => {
    expect(violated(worldWhere((world) => (world.observed.stock = new Map([['SKU-A', { available: 9, reserved: 0, committed: 2 }]]))))).toEqual(['stock-conserved']);
    expect(violated(worldWhere((world) => (world.observed.stock = new Map([['SKU-A', { available: 7, reserved: 1, committed: 2 }]]))))).toEqual(['stock-settled']);
  });

  it('a cancelled order sold but not restocked', () => {
    expect(violated(worldWhere((world) => (world.observed.stock = new Map([['SKU-A', { available: 5, reserved: 0, committed: 5 }]]))))).toEqual(['stock-settled']);
  });

  it('a cancelled order left charged', () => {
    const world = worldWhere((world) => (world.observed.ledger = { ...world.observed.ledger, refunds: [] }));
    expect(violated(world)).toEqual(['money-matches-orders']);
    const violations = checkInvariants(world).flatMap((result) => result.violations);
    // Both the order and the total are named.
    expect(violations.map((violation) => violation.subject).sort()).toEqual(['all orders', 'order o3']);
  });

  it('a second capture of an authorization', () => {
    const world = worldWhere((world) => world.observed.ledger.captures.push({ id: 'c1b', authorizationId: 'a1', status: 'captured', amount: 500, currency: EUR, reference: 'o1' }));
    expect(violated(world)).toEqual(expect.arrayContaining(['charged-at-most-once', 'money-matches-orders']));
  });

  it('an authorization neither captured nor voided', () => {
    const world = worldWhere((world) => world.observed.ledger.authorizations.push({ id: 'a2b', status: 'approved', amount: 250, currency: EUR, reference: 'o2' }));
    expect(violated(world)).toEqual(['authorizations-settled']);
  });

  it('a payment or shipment for an order that does not exist', () => {
    const world = worldWhere((world) => world.observed.ledger.authorizations.push({ id: 'ax', status: 'declined', amount: 1, currency: EUR, reference: 'ghost' }));
    expect(violated(world)).toEqual(['ledgers-match-orders']);
  });

  it('a cancelled order still booked with the carrier, or a confirmed one booked twice', () => {
    expect(violated(worldWhere((world) => (world.observed.shipments[1] = shipment('o3', 'booked'))))).toEqual(['shipments-match-outcome']);
    expect(violated(worldWhere((world) => world.observed.shipments.push({ ...shipment('o1', 'booked'), id: 'shp-2' })))).toEqual(['shipments-match-outcome']);
  });
});
