import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EnvelopeOf, InventoryCommitted } from '@orders/contracts';
import { JetStreamServer, NatsConnectionManager, OnEvent } from '@orders/messaging';
import { HandledLog } from '../handled-log';
import { CHILD_LOG_LEVELS, childEnvironment, serveEvents } from './child-runtime';

/** (a) Our transport, wired as the services wire it, with its default consumer settings. */
const environment = childEnvironment();
const log = new HandledLog(environment.markAfter);

@Controller()
class InventoryCommittedHandler {
  constructor(private readonly handled: HandledLog) {}

  @OnEvent(InventoryCommitted)
  async onCommitted(envelope: EnvelopeOf<typeof InventoryCommitted>): Promise<void> {
    this.handled.record(envelope);
  }
}

@Module({ controllers: [InventoryCommittedHandler], providers: [{ provide: HandledLog, useValue: log }] })
class OursBenchModule {}

async function main(): Promise<void> {
  const nats = new NatsConnectionManager({ url: environment.natsUrl, serviceName: 'bench-bus' });
  const app = await NestFactory.createMicroservice(OursBenchModule, { strategy: new JetStreamServer(nats), logger: CHILD_LOG_LEVELS });
  await serveEvents(app, log, environment);
}

void main();
