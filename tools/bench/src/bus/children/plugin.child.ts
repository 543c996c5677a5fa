import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { NatsJetStreamContext, NatsJetStreamServer } from '@nestjs-plugins/nestjs-nats-jetstream-transport';
import { HandledEvent, HandledLog } from '../handled-log';
import { CHILD_LOG_LEVELS, childEnvironment, serveEvents } from './child-runtime';

/**
 * (b) @nestjs-plugins/nestjs-nats-jetstream-transport, in a process of its own: it brings
 * nats 2.x and reflect-metadata 0.1, which must not meet ours.
 */
const environment = childEnvironment();
const log = new HandledLog(environment.markAfter);
// The typed overload would insist that every handler argument after the payload is `unknown`.
const onBenchEvent = EventPattern(environment.subject) as MethodDecorator;

@Controller()
class InventoryCommittedHandler {
  constructor(private readonly handled: HandledLog) {}

  @onBenchEvent
  async onCommitted(@Payload() envelope: HandledEvent, @Ctx() context: NatsJetStreamContext): Promise<void> {
    this.handled.record(envelope);
    context.message.ack();
  }
}

@Module({ controllers: [InventoryCommittedHandler], providers: [{ provide: HandledLog, useValue: log }] })
class PluginBenchModule {}

async function main(): Promise<void> {
  const strategy = new NatsJetStreamServer({
    connectionOptions: { servers: environment.natsUrl, name: 'bench-bus-plugin' },
    // A durable push consumer with explicit acks. manualAck lets the handler ack after its
    // work, as ours does; without it nats 2.x acks each message before the handler runs.
    consumerOptions: { durable: 'bench-bus', deliverTo: 'bench-bus', deliverPolicy: 'All', ackPolicy: 'Explicit', manualAck: true, ackWait: 30_000 },
  });
  const app = await NestFactory.createMicroservice(PluginBenchModule, { strategy, logger: CHILD_LOG_LEVELS });
  await serveEvents(app, log, environment);
}

void main();
