import { NatsConnection } from '@nats-io/transport-node';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload, Transport } from '@nestjs/microservices';
import { HandledEvent, HandledLog } from '../handled-log';
import { CHILD_LOG_LEVELS, childEnvironment, serveEvents } from './child-runtime';

/** (c) NestJS's built-in NATS transport: core NATS, nothing stored, nothing acked. */
const environment = childEnvironment();
const log = new HandledLog(environment.markAfter);

@Controller()
class InventoryCommittedHandler {
  constructor(private readonly handled: HandledLog) {}

  @EventPattern<Record<string, HandledEvent>>(environment.subject)
  async onCommitted(@Payload() envelope: HandledEvent): Promise<void> {
    this.handled.record(envelope);
  }
}

@Module({ controllers: [InventoryCommittedHandler], providers: [{ provide: HandledLog, useValue: log }] })
class NestNatsBenchModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createMicroservice(NestNatsBenchModule, {
    transport: Transport.NATS,
    options: { servers: [environment.natsUrl], name: 'bench-bus-nest-nats' },
    logger: CHILD_LOG_LEVELS,
  });
  // A core subscription the server has not registered yet would miss the first events.
  await serveEvents(app, log, environment, () => app.unwrap<NatsConnection>().flush());
}

void main();
