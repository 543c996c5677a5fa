import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthModule } from '@orders/health';
import { ConsumerStates, MessagingModule } from '@orders/messaging';
import { Clock, systemClock } from '@orders/shared-kernel';
import { CancelOrderHandler } from './application/cancel-order/cancel-order.handler';
import { GetAnyOrderHandler } from './application/get-any-order/get-any-order.handler';
import { GetOrderHandler } from './application/get-order/get-order.handler';
import { IdempotencyKeyRepository } from './application/idempotency-key.repository';
import { IdempotencySettings } from './application/idempotency-settings';
import { ListOrdersHandler } from './application/list-orders/list-orders.handler';
import { ListRunningSagasHandler } from './application/list-running-sagas/list-running-sagas.handler';
import { OrderViews } from './application/order-views';
import { OrderRepository } from './application/order.repository';
import { PlaceOrderHandler } from './application/place-order/place-order.handler';
import { AdmissionSettings, SagaAdmission, SagasInFlight } from './application/place-order/saga-admission';
import { PurgeIdempotencyKeysHandler } from './application/purge-idempotency-keys/purge-idempotency-keys.handler';
import { RecordSagaStepHandler } from './application/record-saga-step/record-saga-step.handler';
import { LostOrders } from './application/lost-orders';
import { SettleLostOrderHandler } from './application/settle-lost-order/settle-lost-order.handler';
import { SagaSettings } from './application/saga-settings';
import { TimeOutOrdersHandler } from './application/time-out-orders/time-out-orders.handler';
import { OrderConfig, SERVICE_NAME } from './config';
import { orderDatabase } from './infrastructure/database';
import { OrderStatusMetrics } from './infrastructure/order-status.metrics';
import { ReadModelLag } from './infrastructure/read-model-lag';
import { TypeOrmOrderViews } from './infrastructure/typeorm-order-views';
import { SqlOrderViewReader } from './infrastructure/sql-order-view-reader';
import { SqlSagasInFlight } from './infrastructure/sql-sagas-in-flight';
import { OrderViewReader } from './application/order-view-reader';
import { PrometheusSagaOutcomes } from './infrastructure/prometheus-saga-outcomes';
import { SagaOutcomes } from './application/saga-outcomes';
import { SqlIdempotencyKeyRepository } from './infrastructure/sql-idempotency-key.repository';
import { SqlLostOrders } from './infrastructure/sql-lost-orders';
import { SqlOrderRepository } from './infrastructure/sql-order.repository';
import { IdempotencyKeyJanitor } from './interface/idempotency-key.janitor';
import { AdminOrdersHttpController } from './interface/admin-orders-http.controller';
import { AdminSagasHttpController } from './interface/admin-sagas-http.controller';
import { OrderEventsController } from './interface/order-events.controller';
import { OrderQueriesController } from './interface/order-queries.controller';
import { OrdersHttpController } from './interface/orders-http.controller';
import { SagaDeadlineWatchdog } from './interface/saga-deadline.watchdog';

@Module({})
export class OrderModule {
  static forRoot(config: OrderConfig): DynamicModule {
    return {
      module: OrderModule,
      imports: [
        TypeOrmModule.forRoot(orderDatabase(config.DATABASE_URL)),
        MessagingModule.forRoot({ serviceName: SERVICE_NAME, natsUrl: config.NATS_URL, outbox: {} }),
        HealthModule.forRoot({ database: true, answersStatusRequests: true }),
        CqrsModule.forRoot(),
      ],
      controllers: [OrdersHttpController, AdminOrdersHttpController, AdminSagasHttpController, OrderQueriesController, OrderEventsController],
      providers: [
        PlaceOrderHandler,
        SagaAdmission,
        GetOrderHandler,
        GetAnyOrderHandler,
        ListOrdersHandler,
        ListRunningSagasHandler,
        RecordSagaStepHandler,
        SettleLostOrderHandler,
        CancelOrderHandler,
        TimeOutOrdersHandler,
        SagaDeadlineWatchdog,
        PurgeIdempotencyKeysHandler,
        IdempotencyKeyJanitor,
        OrderStatusMetrics,
        ConsumerStates,
        ReadModelLag,
        { provide: OrderViews, useClass: TypeOrmOrderViews },
        { provide: OrderViewReader, useClass: SqlOrderViewReader },
        { provide: SagaOutcomes, useClass: PrometheusSagaOutcomes },
        { provide: OrderRepository, useClass: SqlOrderRepository },
        { provide: LostOrders, useClass: SqlLostOrders },
        { provide: IdempotencyKeyRepository, useClass: SqlIdempotencyKeyRepository },
        { provide: SagasInFlight, useClass: SqlSagasInFlight },
        { provide: AdmissionSettings, useValue: { maxSagasInFlight: config.ADMISSION_MAX_SAGAS_IN_FLIGHT, windowMs: config.ADMISSION_WINDOW_MS } },
        {
          provide: SagaSettings,
          useValue: { timeoutMs: config.SAGA_TIMEOUT_MS, watchdogIntervalMs: config.SAGA_WATCHDOG_INTERVAL_MS, lostOrderWaitMs: config.LOST_ORDER_WAIT_MS },
        },
        { provide: IdempotencySettings, useValue: { keyTtlMs: config.IDEMPOTENCY_KEY_TTL_MS, purgeIntervalMs: config.IDEMPOTENCY_PURGE_INTERVAL_MS } },
        { provide: Clock, useValue: systemClock },
      ],
    };
  }
}
