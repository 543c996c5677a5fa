import { Injectable } from '@nestjs/common';
import type { HandledMessage, MessageHandlingObserver } from '@orders/messaging';
import { Counter, Histogram, Registry } from 'prom-client';

/**
 * Handler RED per consumer and event type: `orders_messages_handled_total{consumer,type,outcome}`
 * (ok, retry, dead_lettered) and `orders_message_handling_duration_seconds{consumer,type}`.
 * The app's JetStreamServer reports every delivery here.
 */
@Injectable()
export class MessageHandlingMetrics implements MessageHandlingObserver {
  private readonly handledTotal: Counter<'consumer' | 'type' | 'outcome'>;
  private readonly duration: Histogram<'consumer' | 'type'>;

  constructor(registry: Registry) {
    this.handledTotal = new Counter({
      name: 'orders_messages_handled_total',
      help: 'Deliveries a consumer finished with, by outcome: ok (acked), retry (redelivered later), dead_lettered',
      labelNames: ['consumer', 'type', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'orders_message_handling_duration_seconds',
      help: 'Time from a delivery to its outcome, compensation-lane waits included',
      labelNames: ['consumer', 'type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    });
  }

  handled({ consumer, type, outcome, durationMs }: HandledMessage): void {
    this.handledTotal.inc({ consumer, type, outcome });
    this.duration.observe({ consumer, type }, durationMs / 1000);
  }
}
