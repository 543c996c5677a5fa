import { Compensation, SagaCancellationReason, SagaStep } from '@orders/contracts';
import { DomainError, Money } from '@orders/shared-kernel';

export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED';

export type CancellationReason = 'OUT_OF_STOCK' | 'PAYMENT_DECLINED' | 'SHIPPING_UNAVAILABLE' | 'ADDRESS_REJECTED' | 'CUSTOMER_CANCELLED' | 'TIMED_OUT';

/** The saga's steps and compensations are entries under their own names (docs/saga.md). */
export type TimelineEntryType = 'ORDER_PLACED' | SagaStep | 'ORDER_CONFIRMED' | 'ORDER_CANCELLED' | Compensation;

export interface TimelineEntry {
  readonly type: TimelineEntryType;
  /** When it happened: the `occurredAt` of the event that reported it. */
  readonly at: Date;
}

export interface OrderItem {
  readonly sku: string;
  readonly quantity: number;
}

export interface ShippingAddress {
  readonly name: string;
  readonly line1: string;
  readonly city: string;
  readonly postalCode: string;
  readonly country: string;
}

/** Which saga steps the other services reported; the order is confirmed once it is paid and the stock is sold. */
export type SagaProgress = Readonly<Record<SagaStep, boolean>>;

/**
 * What applying a saga step did. `duplicate` (the same step again) and `ignored`
 * (a step the order can no longer take, e.g. after it was cancelled) change nothing.
 */
export type StepOutcome =
  { kind: 'recorded' } | { kind: 'confirmed'; total: Money } | { kind: 'cancelled'; reason: CancellationReason } | { kind: 'duplicate' } | { kind: 'ignored'; reason: string };

/** The customer cannot cancel an order the saga already cancelled for another reason. */
export class OrderAlreadyCancelledError extends DomainError {
  constructor(
    orderId: string,
    readonly cancellationReason: CancellationReason,
  ) {
    super('ORDER_ALREADY_CANCELLED', `Order ${orderId} was already cancelled (${cancellationReason})`);
  }
}

export interface OrderState {
  id: string;
  customerId: string;
  items: readonly OrderItem[];
  shippingAddress: ShippingAddress;
  paymentToken: string;
  status: OrderStatus;
  total: Money | null;
  cancellationReason: CancellationReason | null;
  timeline: readonly TimelineEntry[];
  progress: SagaProgress;
  createdAt: Date;
  updatedAt: Date;
}

const NO_PROGRESS: SagaProgress = { INVENTORY_RESERVED: false, PAYMENT_AUTHORIZED: false, SHIPMENT_SCHEDULED: false, PAYMENT_CAPTURED: false, INVENTORY_COMMITTED: false };

/**
 * A customer's order and the progress of the saga that fulfils it. It is PENDING
 * until it is confirmed (payment captured and stock committed, with the total known
 * from the reservation) or cancelled. Cancelled is final; a confirmed order can still
 * be cancelled by its customer, never by the saga. Steps may be reported twice or
 * out of order: a repeated step changes nothing, nothing but a late report of an
 * earlier step is taken after the order is confirmed, no step at all after it is
 * cancelled (only the compensations that undo them are recorded), and the timeline
 * stays sorted by when things happened, not by when they were reported.
 */
export class Order {
  private constructor(private state: OrderState) {}

  static place(input: { id: string; customerId: string; items: readonly OrderItem[]; shippingAddress: ShippingAddress; paymentToken: string; at: Date }): Order {
    if (input.customerId.length === 0) throw new DomainError('INVALID_ORDER', 'An order needs a customer');
    if (input.items.length === 0) throw new DomainError('EMPTY_ORDER', 'An order needs at least one item');
    for (const item of input.items) {
      if (!Number.isSafeInteger(item.quantity) || item.quantity < 1) {
        throw new DomainError('INVALID_QUANTITY', `Quantity of ${item.sku} must be a positive integer, got ${item.quantity}`);
      }
    }
    if (input.paymentToken.length === 0) throw new DomainError('INVALID_ORDER', 'An order needs a payment token');
    const at = validTime(input.at);
    return new Order({
      id: input.id,
      customerId: input.customerId,
      items: input.items.map((item) => ({ sku: item.sku, quantity: item.quantity })),
      shippingAddress: { ...input.shippingAddress },
      paymentToken: input.paymentToken,
      status: 'PENDING',
      total: null,
      cancellationReason: null,
      timeline: [{ type: 'ORDER_PLACED', at }],
      progress: NO_PROGRESS,
      createdAt: at,
      updatedAt: at,
    });
  }

  static restore(state: OrderState): Order {
    if (state.status === 'CONFIRMED' && state.total === null) {
      throw new DomainError('INVALID_ORDER', `Confirmed order ${state.id} has no total`);
    }
    if (state.progress.INVENTORY_RESERVED !== (state.total !== null)) {
      throw new DomainError('INVALID_ORDER', `Order ${state.id} has a total exactly when its stock is reserved`);
    }
    if ((state.status === 'CANCELLED') !== (state.cancellationReason !== null)) {
      throw new DomainError('INVALID_ORDER', `Order ${state.id} is ${state.status} with cancellation reason ${state.cancellationReason}`);
    }
    return new Order({ ...state, timeline: sortedByTime(state.timeline), progress: { ...state.progress } });
  }

  get id(): string {
    return this.state.id;
  }

  get customerId(): string {
    return this.state.customerId;
  }

  get items(): readonly OrderItem[] {
    return this.state.items;
  }

  get shippingAddress(): ShippingAddress {
    return this.state.shippingAddress;
  }

  get paymentToken(): string {
    return this.state.paymentToken;
  }

  get status(): OrderStatus {
    return this.state.status;
  }

  get total(): Money | null {
    return this.state.total;
  }

  get cancellationReason(): CancellationReason | null {
    return this.state.cancellationReason;
  }

  get timeline(): readonly TimelineEntry[] {
    return this.state.timeline;
  }

  get progress(): SagaProgress {
    return this.state.progress;
  }

  get createdAt(): Date {
    return this.state.createdAt;
  }

  get updatedAt(): Date {
    return this.state.updatedAt;
  }

  /**
   * A participant took a step for the order. The reservation, and only the reservation, comes
   * with the total: stock is held at these prices.
   */
  recordStep(step: SagaStep, at: Date, total?: Money): StepOutcome {
    if ((step === 'INVENTORY_RESERVED') !== (total !== undefined)) {
      throw new DomainError('INVALID_STEP', `${step} ${total ? 'comes without a total' : 'comes with the total'}`);
    }
    const known = this.state.total;
    // A total is known exactly when the reservation was recorded.
    if (total && known) {
      return known.equals(total) ? { kind: 'duplicate' } : { kind: 'ignored', reason: `already reserved with total ${describe(known)}, not ${describe(total)}` };
    }
    return this.takeStep(step, at, total ? { total } : {});
  }

  /** The saga failed or ran out of time; too late once the order is confirmed. */
  cancel(reason: SagaCancellationReason, at: Date): StepOutcome {
    const time = validTime(at);
    if (this.state.status === 'CANCELLED') {
      return reason === this.state.cancellationReason ? { kind: 'duplicate' } : { kind: 'ignored', reason: `already cancelled (${this.state.cancellationReason})` };
    }
    if (this.state.status === 'CONFIRMED') return { kind: 'ignored', reason: 'already confirmed' };
    return this.markCancelled(reason, time);
  }

  /**
   * The customer withdraws the order, pending or confirmed: nothing is dispatched yet
   * (there is no later state), and the participants undo their steps (void or refund,
   * restock, cancel the shipment) when they see `order.cancelled`. Asking again changes
   * nothing; an order the saga cancelled for another reason throws.
   */
  cancelByCustomer(at: Date): StepOutcome {
    const time = validTime(at);
    // Exactly a cancelled order has a reason.
    const earlier = this.state.cancellationReason;
    if (earlier === 'CUSTOMER_CANCELLED') return { kind: 'duplicate' };
    if (earlier !== null) throw new OrderAlreadyCancelledError(this.state.id, earlier);
    return this.markCancelled('CUSTOMER_CANCELLED', time);
  }

  /** Recorded once, whatever the status: a participant may undo its step before the order learns why. */
  recordCompensation(compensation: Compensation, at: Date): StepOutcome {
    const time = validTime(at);
    if (this.state.timeline.some((entry) => entry.type === compensation)) return { kind: 'duplicate' };
    this.addEntry(compensation, time);
    return { kind: 'recorded' };
  }

  private markCancelled(reason: CancellationReason, at: Date): StepOutcome {
    this.state = { ...this.state, status: 'CANCELLED', cancellationReason: reason };
    this.addEntry('ORDER_CANCELLED', at);
    return { kind: 'cancelled', reason };
  }

  private takeStep(step: SagaStep, at: Date, change: { total?: Money }): StepOutcome {
    const time = validTime(at);
    if (this.state.progress[step]) return { kind: 'duplicate' };
    if (this.state.status === 'CANCELLED') return { kind: 'ignored', reason: 'order is already CANCELLED' };
    this.state = { ...this.state, ...change, progress: { ...this.state.progress, [step]: true } };
    this.addEntry(step, time);
    // A step reported after the confirmation it preceded (each event type is consumed
    // on its own) still belongs on the timeline; the order stays confirmed.
    if (this.state.status === 'CONFIRMED') return { kind: 'recorded' };
    const { progress, total, timeline } = this.state;
    if (!progress.PAYMENT_CAPTURED || !progress.INVENTORY_COMMITTED || total === null) return { kind: 'recorded' };
    this.state = { ...this.state, status: 'CONFIRMED' };
    // Confirmed when the last required fact became true, even if it was reported earlier.
    this.addEntry('ORDER_CONFIRMED', timeline[timeline.length - 1].at);
    return { kind: 'confirmed', total };
  }

  /** Inserts after every entry at the same time or earlier, so equal times keep their reporting order. */
  private addEntry(type: TimelineEntryType, at: Date): void {
    const timeline = [...this.state.timeline];
    const index = timeline.findIndex((entry) => entry.at.getTime() > at.getTime());
    timeline.splice(index === -1 ? timeline.length : index, 0, { type, at });
    const updatedAt = at.getTime() > this.state.updatedAt.getTime() ? at : this.state.updatedAt;
    this.state = { ...this.state, timeline, updatedAt };
  }
}

function validTime(at: Date): Date {
  if (Number.isNaN(at.getTime())) throw new DomainError('INVALID_TIME', 'A saga step needs a valid time');
  return at;
}

function sortedByTime(timeline: readonly TimelineEntry[]): TimelineEntry[] {
  return timeline
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.at.getTime() - b.entry.at.getTime() || a.index - b.index)
    .map(({ entry }) => entry);
}

function describe(money: Money): string {
  return `${money.amount} ${money.currency}`;
}
