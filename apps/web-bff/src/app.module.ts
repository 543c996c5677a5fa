import { DynamicModule, Module } from '@nestjs/common';
import { HealthModule } from '@orders/health';
import { MessagingModule } from '@orders/messaging';
import { policySettingsOf } from '@orders/resilience';
import { QuerySettings, UpstreamReads } from '@orders/upstream-reads';
import { GetOrderDetailsHandler } from './application/get-order-details/get-order-details.handler';
import { OrderReads } from './application/order-reads';
import { SERVICE_NAME, WebBffConfig } from './config';
import { NatsOrderReads } from './infrastructure/nats-order-reads';
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
        { provide: QuerySettings, useValue: { policy: policySettingsOf('QUERY', config) } },
      ],
    };
  }
}
