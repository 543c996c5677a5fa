import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HEALTH_OPTIONS, HealthController, HealthOptions } from './health.controller';
import { DeadLettersHealthIndicator } from './dead-letters.health';
import { NatsHealthIndicator } from './nats.health';

@Module({})
export class HealthModule {
  static forRoot(options: HealthOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ gracefulShutdownTimeoutMs: 0 })],
      controllers: [HealthController],
      providers: [NatsHealthIndicator, DeadLettersHealthIndicator, { provide: HEALTH_OPTIONS, useValue: options }],
    };
  }
}
