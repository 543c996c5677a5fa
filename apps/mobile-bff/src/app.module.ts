import { DynamicModule, Module } from '@nestjs/common';
import { HealthModule } from '@orders/health';
import { MessagingModule } from '@orders/messaging';
import { policySettingsOf } from '@orders/resilience';
import { NatsOrderReads, OrderReads, QuerySettings, UpstreamReads } from '@orders/upstream-reads';
import { GetOrderSummaryHandler } from './application/get-order-summary/get-order-summary.handler';
import { ListOrderSummariesHandler } from './application/list-order-summaries/list-order-summaries.handler';
import { MobileBffConfig, SERVICE_NAME } from './config';
import { OrdersController } from './interface/orders.controller';

@Module({})
export class MobileBffModule {
  static forRoot(config: MobileBffConfig, serviceName = SERVICE_NAME): DynamicModule {
    return {
      module: MobileBffModule,
      imports: [MessagingModule.forRoot({ serviceName, natsUrl: config.NATS_URL }), HealthModule.forRoot({ database: false })],
      controllers: [OrdersController],
      providers: [
        ListOrderSummariesHandler,
        GetOrderSummaryHandler,
        UpstreamReads,
        { provide: OrderReads, useClass: NatsOrderReads },
        { provide: QuerySettings, useValue: { policy: policySettingsOf('QUERY', config) } },
      ],
    };
  }
}
