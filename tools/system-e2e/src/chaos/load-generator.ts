import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { chooseKind, MixKind, PlannedOrder, planOrder } from './order-mix';
import { pick, Random } from './random';
import { Delivery, RetryingClient } from './retrying-client';

/** What the client learned from one POST /api/v1/orders. */
export type PlaceAnswer = { kind: 'accepted'; orderId: string } | { kind: 'refused'; status: number; body: unknown } | { kind: 'unknown'; error: string };

/** What the client learned from POST /api/v1/orders/{id}/cancel. */
export type CancelAnswer =
  | { kind: 'cancelled' }
  /** 409: the saga had already cancelled the order for another reason. */
  | { kind: 'already-cancelled'; reason: string }
  | { kind: 'refused'; status: number; body: unknown }
  | { kind: 'unknown'; error: string };

/** Everything one client did with one Idempotency-Key, and what it was told. */
export interface ClientOrder {
  customerId: string;
  key: string;
  kind: MixKind;
  /** One per request sent with the key: two for the duplicate kinds. */
  placeAnswers: PlaceAnswer[];
  cancel?: CancelAnswer;
}

export interface Customer {
  id: string;
  token: string;
}

export interface LoadOptions {
  ratePerSecond: number;
  maxInFlight: number;
}

/** The order ids the client was given for a key: exactly one if it learned anything, never two. */
export function acceptedOrderIds(order: ClientOrder): string[] {
  return [...new Set(order.placeAnswers.flatMap((answer) => (answer.kind === 'accepted' ? [answer.orderId] : [])))];
}

/** Identifies an Idempotency-Key: keys are per customer. */
export function keyOf(customerId: string, key: string): string {
  return `${customerId} ${key}`;
}

/** How far behind schedule the load may fall (waiting for in-flight orders) before it stops trying to catch up. */
const MAX_LAG_MS = 1_000;

/**
 * Places orders through the gateway at a steady rate, whatever the platform is
 * going through, with the mix of order-mix.ts, and records every answer.
 */
export class LoadGenerator {
  readonly orders: ClientOrder[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly client: RetryingClient,
    private readonly customers: readonly Customer[],
    private readonly options: LoadOptions,
    private readonly random: Random,
    private readonly log: (line: string) => void,
  ) {}

  get ordersInFlight(): number {
    return this.inFlight.size;
  }

  /** Starts orders until `durationMs` is over (or `signal` aborts); those in flight go on, see `drain`. */
  async run(durationMs: number, signal?: AbortSignal): Promise<void> {
    const intervalMs = 1_000 / this.options.ratePerSecond;
    const end = Date.now() + durationMs;
    let next = Date.now();
    while (!signal?.aborted && Date.now() < end) {
      while (this.inFlight.size >= this.options.maxInFlight) await Promise.race(this.inFlight);
      next = Math.max(next, Date.now() - MAX_LAG_MS);
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait);
      this.start(planOrder(chooseKind(this.random), this.random), pick(this.random, this.customers));
      next += intervalMs;
    }
  }

  /** Resolves once every order started has got all the answers it is going to get. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private start(plan: PlannedOrder, customer: Customer): void {
    const order: ClientOrder = { customerId: customer.id, key: randomUUID(), kind: plan.kind, placeAnswers: [] };
    this.orders.push(order);
    const run = this.play(plan, customer, order).catch((error: unknown) => this.log(`order ${order.key} (${plan.kind}) broke down in the client: ${String(error)}`));
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  private async play(plan: PlannedOrder, customer: Customer, order: ClientOrder): Promise<void> {
    const place = async () => {
      order.placeAnswers.push(await this.place(customer, order.key, plan));
    };
    if (plan.duplicate === 'concurrent') {
      await Promise.all([place(), place()]);
    } else {
      await place();
      if (plan.duplicate === 'sequential') await place();
    }
    const [orderId] = acceptedOrderIds(order);
    if (plan.cancelAfterMs === undefined || orderId === undefined) return;
    await sleep(plan.cancelAfterMs);
    order.cancel = await this.cancel(customer, orderId);
  }

  private async place(customer: Customer, key: string, plan: PlannedOrder): Promise<PlaceAnswer> {
    const delivery = await this.client.send('POST', '/api/v1/orders', { token: customer.token, headers: { 'idempotency-key': key }, body: plan.body });
    if (delivery.kind === 'unknown') return { kind: 'unknown', error: delivery.error };
    const orderId = (delivery.body as { orderId?: unknown }).orderId;
    return delivery.status === 202 && typeof orderId === 'string' ? { kind: 'accepted', orderId } : refused(delivery);
  }

  private async cancel(customer: Customer, orderId: string): Promise<CancelAnswer> {
    const delivery = await this.client.send('POST', `/api/v1/orders/${orderId}/cancel`, { token: customer.token, headers: { 'idempotency-key': randomUUID() } });
    if (delivery.kind === 'unknown') return { kind: 'unknown', error: delivery.error };
    if (delivery.status === 202) return { kind: 'cancelled' };
    const error = (delivery.body as { error?: { code?: string; details?: { cancellationReason?: string } } }).error;
    if (delivery.status === 409 && error?.code === 'ORDER_ALREADY_CANCELLED' && error.details?.cancellationReason) {
      return { kind: 'already-cancelled', reason: error.details.cancellationReason };
    }
    return refused(delivery);
  }
}

function refused(delivery: Extract<Delivery, { kind: 'answered' }>): { kind: 'refused'; status: number; body: unknown } {
  return { kind: 'refused', status: delivery.status, body: delivery.body };
}
