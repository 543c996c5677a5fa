import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ConsumerStates, OutboxBacklog } from '@orders/messaging';
import { ConsumersHealthIndicator } from './consumers.health';
import { DeadLettersHealthIndicator } from './dead-letters.health';
import { HealthController } from './health.controller';
import { NatsHealthIndicator } from './nats.health';
import { OutboxHealthIndicator } from './outbox.health';
import { HEALTH_OPTIONS, HealthOptions, Readiness } from './readiness';
import { StatusResponder } from './status-responder';

@Module({})
export class HealthModule {
  static forRoot(options: HealthOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ gracefulShutdownTimeoutMs: 0 }), DiscoveryModule],
      controllers: [HealthController],
      providers: [
        NatsHealthIndicator,
        DeadLettersHealthIndicator,
        ConsumerStates,
        ConsumersHealthIndicator,
        OutboxBacklog,
        OutboxHealthIndicator,
        Readiness,
        StatusResponder,
        { provide: HEALTH_OPTIONS, useValue: options },
      ],
    };
  }
}
