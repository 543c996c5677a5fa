import type { Authorization, Capture, Refund, Shipment, Void } from '@orders/provider-simulators';
import { StockRow } from '../support/platform';
import { Observations, OrderRow } from './ground-truth';
import { acceptedOrderIds, ClientOrder, keyOf } from './load-generator';

/** One broken promise, about one order, SKU, key or total. */
export interface Violation {
  invariant: string;
  subject: string;
  detail: string;
  /** The order it is about, when it is about one: a dead letter for that order may explain it until it is replayed. */
  orderId?: string;
}

export interface InvariantResult {
  name: string;
  description: string;
  /** How many things were checked (orders, keys, SKUs...), so that "0 violations" cannot mean "checked nothing". */
  checked: number;
  violations: Violation[];
}

export interface InvariantInput {
  observed: Observations;
  /** Stock rows just before the load started. */
  baseline: ReadonlyMap<string, StockRow>;
  client: readonly ClientOrder[];
}

type Finding = Omit<Violation, 'invariant'>;

interface Invariant {
  name: string;
  description: string;
  check(facts: Facts): { checked: number; findings: Finding[] };
}

/** The observations indexed the ways the invariants look them up. */
interface Facts extends InvariantInput {
  ordersById: ReadonlyMap<string, OrderRow>;
  clientByKey: ReadonlyMap<string, ClientOrder>;
  keyRowsByKey: ReadonlyMap<string, string[]>;
  keyRowsByOrder: ReadonlyMap<string, string[]>;
  money: ReadonlyMap<string, OrderMoney>;
  bookedShipments: ReadonlyMap<string, Shipment[]>;
}

interface OrderMoney {
  authorizations: Authorization[];
  captures: Capture[];
  refunds: Refund[];
  voids: Void[];
}

const TIMED_OUT = 'CANCELLED:TIMED_OUT';

/** "CONFIRMED" or "CANCELLED:<reason>". */
function outcomeOf(order: OrderRow): string {
  return order.status === 'CANCELLED' ? `CANCELLED:${order.cancellationReason}` : order.status;
}

/**
 * Where an order may end up, given what the client asked for and was told. Any saga may end
 * TIMED_OUT, its deadline being the platform's last resort.
 */
export function allowedOutcomes(order: ClientOrder): readonly string[] {
  switch (order.kind) {
    case 'normal':
    case 'duplicate-sequential':
    case 'duplicate-concurrent':
      return ['CONFIRMED', TIMED_OUT];
    case 'declined':
      return ['CANCELLED:PAYMENT_DECLINED', TIMED_OUT];
    case 'unsupported-destination':
      return ['CANCELLED:SHIPPING_UNAVAILABLE', TIMED_OUT];
    case 'out-of-stock':
      return ['CONFIRMED', 'CANCELLED:OUT_OF_STOCK', TIMED_OUT];
    case 'cancel-early':
    case 'cancel-late':
      switch (order.cancel?.kind) {
        case 'cancelled':
          return ['CANCELLED:CUSTOMER_CANCELLED'];
        case 'already-cancelled':
          return [`CANCELLED:${order.cancel.reason}`];
        case undefined:
          // The client never learned the order id, so it could not cancel.
          return ['CONFIRMED', TIMED_OUT];
        default:
          return ['CONFIRMED', 'CANCELLED:CUSTOMER_CANCELLED', TIMED_OUT];
      }
  }
}

const sum = (amounts: ReadonlyArray<{ amount: number }>) => amounts.reduce((total, { amount }) => total + amount, 0);
const netCharge = (money: OrderMoney | undefined) => (money ? sum(money.captures) - sum(money.refunds) : 0);

const INVARIANTS: readonly Invariant[] = [
  {
    name: 'orders-settled',
    description: "every order in order-service's database is CONFIRMED or CANCELLED",
    check: ({ observed }) => ({
      checked: observed.orders.length,
      findings: observed.orders
        .filter((order) => order.status !== 'CONFIRMED' && order.status !== 'CANCELLED')
        .map((order) => ({ subject: `order ${order.id}`, orderId: order.id, detail: `is ${order.status}` })),
    }),
  },
  {
    name: 'accepted-orders-stored',
    description: 'every order the client was told was accepted is in the database, as the same customer’s',
    check: ({ client, ordersById }) => {
      const accepted = client.flatMap((order) => acceptedOrderIds(order).map((orderId) => ({ order, orderId })));
      const findings = accepted.flatMap(({ order, orderId }): Finding[] => {
        const stored = ordersById.get(orderId);
        if (!stored) return [{ subject: `order ${orderId}`, orderId, detail: `accepted for key ${order.key} but not in the database` }];
        if (stored.customerId !== order.customerId)
          return [{ subject: `order ${orderId}`, orderId, detail: `accepted for ${order.customerId} but stored for ${stored.customerId}` }];
        return [];
      });
      return { checked: accepted.length, findings };
    },
  },
  {
    name: 'one-order-per-key',
    description: 'every Idempotency-Key gave one order id however often it was sent, and made one order in the database; no order without a key the client sent',
    check: ({ client, observed, keyRowsByKey, keyRowsByOrder, clientByKey }) => {
      const findings: Finding[] = [];
      for (const order of client) {
        const answered = acceptedOrderIds(order);
        const stored = keyRowsByKey.get(keyOf(order.customerId, order.key)) ?? [];
        if (answered.length > 1) findings.push({ subject: `key ${order.key}`, orderId: answered[0], detail: `answered with ${answered.length} order ids: ${answered.join(', ')}` });
        if (stored.length > 1) findings.push({ subject: `key ${order.key}`, orderId: stored[0], detail: `${stored.length} orders in the database: ${stored.join(', ')}` });
        if (answered.length === 1 && stored.length === 1 && answered[0] !== stored[0]) {
          findings.push({ subject: `key ${order.key}`, orderId: answered[0], detail: `answered ${answered[0]} but the database holds ${stored[0]}` });
        }
      }
      for (const order of observed.orders) {
        const keys = keyRowsByOrder.get(order.id) ?? [];
        if (keys.length !== 1) findings.push({ subject: `order ${order.id}`, orderId: order.id, detail: `has ${keys.length} Idempotency-Keys` });
        for (const key of keys) {
          if (!clientByKey.has(key)) findings.push({ subject: `order ${order.id}`, orderId: order.id, detail: `made with key "${key}", which no client sent` });
        }
      }
      return { checked: client.length + observed.orders.length, findings };
    },
  },
  {
    name: 'answers-as-specified',
    description: 'a valid order was answered 202 (or never, if the client gave up); a cancel 202, or 409 when the saga had cancelled it first',
    check: ({ client }) => {
      const findings: Finding[] = [];
      let checked = 0;
      for (const order of client) {
        const orderId = acceptedOrderIds(order)[0];
        for (const answer of order.placeAnswers) {
          checked++;
          if (answer.kind === 'refused')
            findings.push({ subject: `key ${order.key}`, orderId, detail: `placing (${order.kind}) answered ${answer.status} ${JSON.stringify(answer.body)}` });
        }
        if (order.cancel) {
          checked++;
          if (order.cancel.kind === 'refused')
            findings.push({ subject: `order ${orderId}`, orderId, detail: `cancelling answered ${order.cancel.status} ${JSON.stringify(order.cancel.body)}` });
        }
      }
      return { checked, findings };
    },
  },
  {
    name: 'outcome-as-requested',
    description: 'declined cards and unsupported destinations are never confirmed, a cancel answered 202 cancels, scarce stock ends confirmed or OUT_OF_STOCK',
    check: ({ observed, keyRowsByOrder, clientByKey }) => {
      const findings: Finding[] = [];
      let checked = 0;
      for (const order of observed.orders) {
        const [key] = keyRowsByOrder.get(order.id) ?? [];
        const requested = key === undefined ? undefined : clientByKey.get(key);
        if (!requested || (order.status !== 'CONFIRMED' && order.status !== 'CANCELLED')) continue;
        checked++;
        const allowed = allowedOutcomes(requested);
        if (!allowed.includes(outcomeOf(order))) {
          findings.push({
            subject: `order ${order.id}`,
            orderId: order.id,
            detail: `${requested.kind} order (cancel: ${requested.cancel?.kind ?? 'none'}) ended ${outcomeOf(order)}; expected ${allowed.join(' or ')}`,
          });
        }
      }
      return { checked, findings };
    },
  },
  {
    name: 'stock-conserved',
    description: 'per SKU, available + reserved + committed is what it was before the run, none of them negative',
    check: ({ baseline, observed }) => {
      const findings: Finding[] = [];
      for (const [sku, before] of baseline) {
        const now = observed.stock.get(sku);
        if (!now) {
          findings.push({ subject: sku, detail: 'disappeared' });
          continue;
        }
        const units = (row: StockRow) => row.available + row.reserved + row.committed;
        if (units(now) !== units(before)) findings.push({ subject: sku, detail: `${units(now)} units now, ${units(before)} before: ${JSON.stringify(now)}` });
        if (Math.min(now.available, now.reserved, now.committed) < 0) findings.push({ subject: sku, detail: `negative: ${JSON.stringify(now)}` });
      }
      return { checked: baseline.size, findings };
    },
  },
  {
    name: 'stock-settled',
    description: 'at quiescence nothing is reserved, and the units sold during the run are exactly those of CONFIRMED orders (cancelled ones were released or restocked)',
    check: ({ baseline, observed }) => {
      const confirmedUnits = new Map<string, number>();
      for (const order of observed.orders.filter((candidate) => candidate.status === 'CONFIRMED')) {
        for (const item of order.items) confirmedUnits.set(item.sku, (confirmedUnits.get(item.sku) ?? 0) + item.quantity);
      }
      const findings: Finding[] = [];
      for (const [sku, before] of baseline) {
        const now = observed.stock.get(sku);
        if (!now) continue;
        if (now.reserved !== 0) findings.push({ subject: sku, detail: `${now.reserved} unit(s) still reserved` });
        const sold = now.committed - before.committed;
        const expected = confirmedUnits.get(sku) ?? 0;
        if (sold !== expected) findings.push({ subject: sku, detail: `${sold} unit(s) committed during the run, but CONFIRMED orders hold ${expected}` });
      }
      return { checked: baseline.size, findings };
    },
  },
  {
    name: 'money-matches-orders',
    description: "on the provider's ledger, captured minus refunded is the sum of CONFIRMED orders' totals; each CONFIRMED order is charged its total, each CANCELLED one nothing",
    check: ({ observed, money }) => {
      const findings: Finding[] = [];
      const confirmed = observed.orders.filter((order) => order.status === 'CONFIRMED');
      const expectedTotal = confirmed.reduce((total, order) => total + (order.total ?? 0), 0);
      const net = sum(observed.ledger.captures) - sum(observed.ledger.refunds);
      if (net !== expectedTotal) findings.push({ subject: 'all orders', detail: `captured minus refunded is ${net}, CONFIRMED orders total ${expectedTotal}` });
      for (const order of observed.orders) {
        const charged = netCharge(money.get(order.id));
        const expected = order.status === 'CONFIRMED' ? order.total : 0;
        if (order.status !== 'PENDING' && charged !== expected)
          findings.push({ subject: `order ${order.id}`, orderId: order.id, detail: `${outcomeOf(order)} with total ${order.total} is charged ${charged}` });
      }
      return { checked: observed.orders.length + 1, findings };
    },
  },
  {
    name: 'charged-at-most-once',
    description: 'no authorization captured twice, no order with two captures, no capture refunded beyond its amount',
    check: ({ observed, money }) => {
      const findings: Finding[] = [];
      const capturesByAuthorization = groupBy(observed.ledger.captures, (capture) => capture.authorizationId);
      for (const [authorizationId, captures] of capturesByAuthorization) {
        if (captures.length > 1) findings.push({ subject: `authorization ${authorizationId}`, orderId: captures[0].reference, detail: `captured ${captures.length} times` });
      }
      for (const [orderId, entries] of money) {
        if (entries.captures.length > 1) findings.push({ subject: `order ${orderId}`, orderId, detail: `${entries.captures.length} captures` });
      }
      const refundsByCapture = groupBy(observed.ledger.refunds, (refund) => refund.captureId);
      for (const capture of observed.ledger.captures) {
        const refunded = sum(refundsByCapture.get(capture.id) ?? []);
        if (refunded > capture.amount) findings.push({ subject: `capture ${capture.id}`, orderId: capture.reference, detail: `refunded ${refunded} of ${capture.amount}` });
      }
      return { checked: observed.ledger.authorizations.length, findings };
    },
  },
  {
    name: 'authorizations-settled',
    description: 'no approved authorization is left holding money: each one was captured or voided',
    check: ({ observed }) => {
      const captured = new Set(observed.ledger.captures.map((capture) => capture.authorizationId));
      const voided = new Set(observed.ledger.voids.map((voided) => voided.id));
      const approved = observed.ledger.authorizations.filter((authorization) => authorization.status === 'approved');
      const findings = approved
        .filter((authorization) => !captured.has(authorization.id) && !voided.has(authorization.id))
        .map((authorization) => ({
          subject: `authorization ${authorization.id}`,
          orderId: authorization.reference,
          detail: `${authorization.amount} still authorized, neither captured nor voided`,
        }));
      return { checked: approved.length, findings };
    },
  },
  {
    name: 'ledgers-match-orders',
    description: "every payment and shipment at the providers belongs to an order in order-service's database",
    check: ({ observed, ordersById }) => {
      const references = [...observed.ledger.authorizations, ...observed.shipments].map((entry) => entry.reference);
      const findings = references
        .filter((reference) => !ordersById.has(reference))
        .map((reference) => ({ subject: `reference ${reference}`, orderId: reference, detail: 'at a provider but not an order in the database' }));
      return { checked: references.length, findings };
    },
  },
  {
    name: 'shipments-match-outcome',
    description: 'each CONFIRMED order has exactly one booked shipment, each CANCELLED one none (never booked, or cancelled)',
    check: ({ observed, bookedShipments }) => {
      const findings: Finding[] = [];
      for (const order of observed.orders) {
        const booked = bookedShipments.get(order.id)?.length ?? 0;
        const expected = order.status === 'CONFIRMED' ? 1 : 0;
        if (order.status !== 'PENDING' && booked !== expected)
          findings.push({ subject: `order ${order.id}`, orderId: order.id, detail: `${outcomeOf(order)} with ${booked} booked shipment(s)` });
      }
      return { checked: observed.orders.length, findings };
    },
  },
];

export function checkInvariants(input: InvariantInput): InvariantResult[] {
  const facts = indexFacts(input);
  return INVARIANTS.map((invariant) => {
    const { checked, findings } = invariant.check(facts);
    return { name: invariant.name, description: invariant.description, checked, violations: findings.map((finding) => ({ invariant: invariant.name, ...finding })) };
  });
}

function indexFacts(input: InvariantInput): Facts {
  const { observed, client } = input;
  const { ledger } = observed;
  const money = new Map<string, OrderMoney>();
  const moneyOf = (orderId: string): OrderMoney => {
    let entries = money.get(orderId);
    if (!entries) money.set(orderId, (entries = { authorizations: [], captures: [], refunds: [], voids: [] }));
    return entries;
  };
  ledger.authorizations.forEach((entry) => moneyOf(entry.reference).authorizations.push(entry));
  ledger.captures.forEach((entry) => moneyOf(entry.reference).captures.push(entry));
  ledger.refunds.forEach((entry) => moneyOf(entry.reference).refunds.push(entry));
  ledger.voids.forEach((entry) => moneyOf(entry.reference).voids.push(entry));
  const keyRowsByKey = groupBy(observed.idempotencyKeys, (row) => keyOf(row.customerId, row.key));
  const keyRowsByOrder = groupBy(observed.idempotencyKeys, (row) => row.orderId);
  return {
    ...input,
    ordersById: new Map(observed.orders.map((order) => [order.id, order])),
    clientByKey: new Map(client.map((order) => [keyOf(order.customerId, order.key), order])),
    keyRowsByKey: mapValues(keyRowsByKey, (rows) => rows.map((row) => row.orderId)),
    keyRowsByOrder: mapValues(keyRowsByOrder, (rows) => rows.map((row) => keyOf(row.customerId, row.key))),
    money,
    bookedShipments: groupBy(
      observed.shipments.filter((shipment) => shipment.status === 'booked'),
      (shipment) => shipment.reference,
    ),
  };
}

function groupBy<T>(items: readonly T[], keyOfItem: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOfItem(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function mapValues<T, U>(map: ReadonlyMap<string, T>, change: (value: T) => U): Map<string, U> {
  return new Map([...map].map(([key, value]) => [key, change(value)]));
}
