import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ConsumerStates, OutboxBacklog } from '@orders/messaging';
import { ConsumersHealthIndicator } from './consumers.health';
import { HEALTH_OPTIONS, HealthController, HealthOptions } from './health.controller';
import { DeadLettersHealthIndicator } from './dead-letters.health';
import { NatsHealthIndicator } from './nats.health';
import { OutboxHealthIndicator } from './outbox.health';

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
        { provide: HEALTH_OPTIONS, useValue: options },
      ],
    };
  }
}
