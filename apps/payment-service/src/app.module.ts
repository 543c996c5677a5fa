import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthModule } from '@orders/health';
import { MessagingModule } from '@orders/messaging';
import { providerPolicySettings } from '@orders/resilience';
import { AuthorizePaymentHandler } from './application/authorize-payment/authorize-payment.handler';
import { CapturePaymentHandler } from './application/capture-payment/capture-payment.handler';
import { CompensatePaymentHandler } from './application/compensate-payment/compensate-payment.handler';
import { GetPaymentHandler } from './application/get-payment/get-payment.handler';
import { OpenPaymentHandler } from './application/open-payment/open-payment.handler';
import { PaymentProvider } from './application/payment-provider';
import { PaymentRepository } from './application/payment.repository';
import { PaymentConfig, SERVICE_NAME } from './config';
import { paymentDatabase } from './infrastructure/database';
import { HttpPaymentProvider } from './infrastructure/http-payment-provider';
import { CircuitBreakerMetrics } from '@orders/metrics';
import { SqlPaymentRepository } from './infrastructure/sql-payment.repository';
import { PaymentEventsController } from './interface/payment-events.controller';
import { PaymentQueriesController } from './interface/payment-queries.controller';

@Module({})
export class PaymentModule {
  static forRoot(config: PaymentConfig): DynamicModule {
    return {
      module: PaymentModule,
      imports: [
        TypeOrmModule.forRoot(paymentDatabase(config.DATABASE_URL)),
        MessagingModule.forRoot({ serviceName: SERVICE_NAME, natsUrl: config.NATS_URL, outbox: {} }),
        HealthModule.forRoot({ database: true, answersStatusRequests: true }),
        CqrsModule.forRoot(),
      ],
      controllers: [PaymentEventsController, PaymentQueriesController],
      providers: [
        OpenPaymentHandler,
        AuthorizePaymentHandler,
        CapturePaymentHandler,
        CompensatePaymentHandler,
        GetPaymentHandler,
        { provide: PaymentRepository, useClass: SqlPaymentRepository },
        {
          provide: PaymentProvider,
          inject: [CircuitBreakerMetrics],
          useFactory: (breakers: CircuitBreakerMetrics) => {
            const provider = new HttpPaymentProvider(config.PAYMENT_PROVIDER_URL, providerPolicySettings(config));
            breakers.track(provider.policy);
            return provider;
          },
        },
      ],
    };
  }
}
