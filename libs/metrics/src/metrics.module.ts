import { DynamicModule, Module } from '@nestjs/common';
import { ConsumerStates, OutboxBacklog } from '@orders/messaging';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { CircuitBreakerMetrics } from './circuit-breaker.metrics';
import { ConsumerMetrics } from './consumer.metrics';
import { DeadLetterMetrics } from './dead-letter.metrics';
import { HttpMetrics } from './http.metrics';
import { MessageHandlingMetrics } from './message-handling.metrics';
import { MetricsController } from './metrics.controller';
import { METRICS_OPTIONS, MetricsOptions } from './metrics-options';
import { OutboxMetrics } from './outbox.metrics';

/**
 * What every app measures. A collector is a provider that registers its metrics on the
 * app's Registry (injected) and either computes them at scrape time in `collect` or
 * updates them as things happen.
 */
const COLLECTORS = [DeadLetterMetrics, CircuitBreakerMetrics, ConsumerMetrics, OutboxMetrics, HttpMetrics, MessageHandlingMetrics];

/**
 * Serves an app's metrics at `GET /metrics`: Node's default metrics and the collectors',
 * all labelled with the service. Each app has its own Registry, never prom-client's global
 * one, so several apps in one process (as in tests) keep their metrics apart. Collectors
 * may use MessagingModule's providers, which every app has. Global within the app, so the
 * app's own providers can inject the Registry and CircuitBreakerMetrics. The app's bootstrap
installs HttpMetrics' middleware and hands MessageHandlingMetrics to its JetStreamServer.
 */
@Module({})
export class MetricsModule {
  static forRoot(options: MetricsOptions): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      controllers: [MetricsController],
      providers: [
        { provide: METRICS_OPTIONS, useValue: options },
        { provide: Registry, useFactory: () => serviceRegistry(options.service) },
        ConsumerStates,
        OutboxBacklog,
        ...COLLECTORS,
      ],
      exports: [Registry, CircuitBreakerMetrics, HttpMetrics, MessageHandlingMetrics],
    };
  }
}

function serviceRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
