import { Injectable } from '@nestjs/common';
import { SagaCancellationReason } from '@orders/contracts';
import { Counter, Histogram, Registry } from 'prom-client';
import { LOST_ORDER_CANCELLATION_REASON } from '../application/lost-orders';
import { SagaOutcomes } from '../application/saga-outcomes';
import { Order } from '../domain/order';

/** From a fast confirmation to the saga deadline and beyond. */
const DURATION_BUCKETS_SECONDS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * `orders_saga_outcomes_total{outcome,reason}`, `orders_saga_duration_seconds{outcome}` and
 * `orders_placements_refused_total{reason}`.
 */
@Injectable()
export class PrometheusSagaOutcomes extends SagaOutcomes {
  private readonly outcomes: Counter<'outcome' | 'reason'>;
  private readonly duration: Histogram<'outcome'>;
  private readonly refusals: Counter<'reason'>;

  constructor(registry: Registry) {
    super();
    this.outcomes = new Counter({
      name: 'orders_saga_outcomes_total',
      help: 'Sagas that ended, by outcome (confirmed, cancelled, lost: of an order the order database does not have) and cancellation reason (none when confirmed)',
      labelNames: ['outcome', 'reason'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'orders_saga_duration_seconds',
      help: 'Time from placing an order to its saga ending',
      labelNames: ['outcome'],
      buckets: DURATION_BUCKETS_SECONDS,
      registers: [registry],
    });
    this.refusals = new Counter({
      name: 'orders_placements_refused_total',
      help: 'Placements refused before anything was stored, by reason (at_capacity: admission control)',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.refusals.inc({ reason: 'at_capacity' }, 0);
    // Present from the start, so an alert on its increase fires for the first lost order.
    this.outcomes.inc({ outcome: 'lost', reason: LOST_ORDER_CANCELLATION_REASON }, 0);
  }

  ended(order: Order, endedAt: Date): void {
    const outcome = order.status === 'CONFIRMED' ? 'confirmed' : 'cancelled';
    this.outcomes.inc({ outcome, reason: order.cancellationReason ?? 'none' });
    this.duration.observe({ outcome }, Math.max(0, endedAt.getTime() - order.createdAt.getTime()) / 1000);
  }

  lost(reason: SagaCancellationReason): void {
    this.outcomes.inc({ outcome: 'lost', reason });
  }

  refused(): void {
    this.refusals.inc({ reason: 'at_capacity' });
  }
}
