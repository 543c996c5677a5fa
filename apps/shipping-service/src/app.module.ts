import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthModule } from '@orders/health';
import { MessagingModule } from '@orders/messaging';
import { providerPolicySettings } from '@orders/resilience';
import { ScheduleShipmentHandler } from './application/schedule-shipment/schedule-shipment.handler';
import { CancelShipmentHandler } from './application/cancel-shipment/cancel-shipment.handler';
import { Carrier } from './application/carrier';
import { GetShipmentHandler } from './application/get-shipment/get-shipment.handler';
import { RequestShipmentHandler } from './application/request-shipment/request-shipment.handler';
import { ShipmentRepository } from './application/shipment.repository';
import { SERVICE_NAME, ShippingConfig } from './config';
import { shippingDatabase } from './infrastructure/database';
import { HttpCarrier } from './infrastructure/http-carrier';
import { CircuitBreakerMetrics } from '@orders/metrics';
import { SqlShipmentRepository } from './infrastructure/sql-shipment.repository';
import { ShippingEventsController } from './interface/shipping-events.controller';
import { ShippingQueriesController } from './interface/shipping-queries.controller';

@Module({})
export class ShippingModule {
  static forRoot(config: ShippingConfig): DynamicModule {
    return {
      module: ShippingModule,
      imports: [
        TypeOrmModule.forRoot(shippingDatabase(config.DATABASE_URL)),
        MessagingModule.forRoot({ serviceName: SERVICE_NAME, natsUrl: config.NATS_URL, outbox: {} }),
        HealthModule.forRoot({ database: true, answersStatusRequests: true }),
        CqrsModule.forRoot(),
      ],
      controllers: [ShippingEventsController, ShippingQueriesController],
      providers: [
        RequestShipmentHandler,
        ScheduleShipmentHandler,
        CancelShipmentHandler,
        GetShipmentHandler,
        { provide: ShipmentRepository, useClass: SqlShipmentRepository },
        {
          provide: Carrier,
          inject: [CircuitBreakerMetrics],
          useFactory: (breakers: CircuitBreakerMetrics) => {
            const carrier = new HttpCarrier(config.CARRIER_URL, providerPolicySettings(config));
            breakers.track(carrier.policy);
            return carrier;
          },
        },
      ],
    };
  }
}
