import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthModule } from '@orders/health';
import { MessagingModule } from '@orders/messaging';
import { Clock, systemClock } from '@orders/shared-kernel';
import { CommitReservationHandler } from './application/commit-reservation/commit-reservation.handler';
import { ExpireReservationsHandler } from './application/expire-reservations/expire-reservations.handler';
import { InventoryRepository } from './application/inventory.repository';
import { InventorySettings } from './application/inventory-settings';
import { ListProductsHandler } from './application/list-products/list-products.handler';
import { ReserveStockHandler } from './application/reserve-stock/reserve-stock.handler';
import { ReturnStockHandler } from './application/return-stock/return-stock.handler';
import { SetAvailableHandler } from './application/set-available/set-available.handler';
import { InventoryConfig, SERVICE_NAME } from './config';
import { inventoryDatabase } from './infrastructure/database';
import { SqlInventoryRepository } from './infrastructure/sql-inventory.repository';
import { InventoryEventsController } from './interface/inventory-events.controller';
import { InventoryQueriesController } from './interface/inventory-queries.controller';
import { ReservationExpiryScheduler } from './interface/reservation-expiry.scheduler';
import { StockAdminController } from './interface/stock-admin.controller';

@Module({})
export class InventoryModule {
  static forRoot(config: InventoryConfig): DynamicModule {
    return {
      module: InventoryModule,
      imports: [
        TypeOrmModule.forRoot(inventoryDatabase(config.DATABASE_URL)),
        MessagingModule.forRoot({ serviceName: SERVICE_NAME, natsUrl: config.NATS_URL, outbox: {} }),
        HealthModule.forRoot({ database: true, answersStatusRequests: true }),
        CqrsModule.forRoot(),
      ],
      controllers: [InventoryEventsController, InventoryQueriesController, StockAdminController],
      providers: [
        ReserveStockHandler,
        CommitReservationHandler,
        ExpireReservationsHandler,
        ReturnStockHandler,
        ListProductsHandler,
        SetAvailableHandler,
        ReservationExpiryScheduler,
        { provide: InventoryRepository, useClass: SqlInventoryRepository },
        {
          provide: InventorySettings,
          useValue: { reservationTtlMs: config.RESERVATION_TTL_MS, expirySweepIntervalMs: config.RESERVATION_SWEEP_INTERVAL_MS },
        },
        { provide: Clock, useValue: systemClock },
      ],
    };
  }
}
