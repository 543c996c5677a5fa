import { OrderView, SAGA_STEPS, SagaStep } from '@orders/contracts';

/** A PENDING order as an operator follows its saga: how long it has run, when it times out, what it waits for. */
export interface RunningSaga {
  orderId: string;
  customerId: string;
  placedAt: string;
  ageMs: number;
  /** When the deadline watchdog cancels the order TIMED_OUT unless the saga finished. */
  deadline: string;
  /** The first step of the saga no participant has reported yet; null once all have been. */
  waitingFor: SagaStep | null;
}

export interface RunningSagaPage {
  items: RunningSaga[];
  nextCursor: string | null;
}

export function runningSagaOf(order: OrderView, now: Date, sagaTimeoutMs: number): RunningSaga {
  const placedAt = new Date(order.createdAt);
  const reported = new Set(order.timeline.map((entry) => entry.type));
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    placedAt: order.createdAt,
    ageMs: now.getTime() - placedAt.getTime(),
    deadline: new Date(placedAt.getTime() + sagaTimeoutMs).toISOString(),
    waitingFor: SAGA_STEPS.find((step) => !reported.has(step)) ?? null,
  };
}
