import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { NatsConnectionManager } from '@orders/messaging';

/** Up while the NATS connection is established (not while it is reconnecting). */
@Injectable()
export class NatsHealthIndicator {
  constructor(
    private readonly nats: NatsConnectionManager,
    private readonly health: HealthIndicatorService,
  ) {}

  check(key: string) {
    const indicator = this.health.check(key);
    return this.nats.isConnected() ? indicator.up() : indicator.down({ message: 'not connected to NATS' });
  }
}
