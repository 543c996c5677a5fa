import { DynamicModule, Module } from '@nestjs/common';
import { HealthModule } from '@orders/health';
import { MessagingModule } from '@orders/messaging';
import { policySettingsOf } from '@orders/resilience';
import { QuerySettings, UpstreamReads } from '@orders/upstream-reads';
import { OrderReads } from './application/order-reads';
import { OrderSummariesHandler } from './application/order-summaries.handler';
import { MobileBffConfig, SERVICE_NAME } from './config';
import { NatsOrderReads } from './infrastructure/nats-order-reads';
import { OrdersController } from './interface/orders.controller';

@Module({})
export class MobileBffModule {
  static forRoot(config: MobileBffConfig, serviceName = SERVICE_NAME): DynamicModule {
    return {
      module: MobileBffModule,
      imports: [MessagingModule.forRoot({ serviceName, natsUrl: config.NATS_URL }), HealthModule.forRoot({ database: false })],
      controllers: [OrdersController],
      providers: [
        OrderSummariesHandler,
        UpstreamReads,
        { provide: OrderReads, useClass: NatsOrderReads },
        { provide: QuerySettings, useValue: { policy: policySettingsOf('QUERY', config) } },
      ],
    };
  }
}
