import { OrderView, RunningSaga, SAGA_STEPS } from '@orders/contracts';

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
