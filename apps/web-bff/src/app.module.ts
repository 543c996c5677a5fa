import { DynamicModule, Module } from '@nestjs/common';
import { HealthModule } from '@orders/health';
import { MessagingModule } from '@orders/messaging';
import { policySettingsOf } from '@orders/resilience';
import { NatsOrderReads, OrderReads, QuerySettings, UpstreamReads } from '@orders/upstream-reads';
import { GetOrderDetailsHandler } from './application/get-order-details/get-order-details.handler';
import { OrderPartReads } from './application/order-part-reads';
import { SERVICE_NAME, WebBffConfig } from './config';
import { NatsOrderPartReads } from './infrastructure/nats-order-part-reads';
import { OrdersController } from './interface/orders.controller';

@Module({})
export class WebBffModule {
  static forRoot(config: WebBffConfig, serviceName = SERVICE_NAME): DynamicModule {
    return {
      module: WebBffModule,
      imports: [MessagingModule.forRoot({ serviceName, natsUrl: config.NATS_URL }), HealthModule.forRoot({ database: false })],
      controllers: [OrdersController],
      providers: [
        GetOrderDetailsHandler,
        UpstreamReads,
        { provide: OrderReads, useClass: NatsOrderReads },
        { provide: OrderPartReads, useClass: NatsOrderPartReads },
        { provide: QuerySettings, useValue: { policy: policySettingsOf('QUERY', config) } },
      ],
    };
  }
}
