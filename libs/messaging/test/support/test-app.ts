import { jetstream } from '@nats-io/jetstream';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import { ArgumentsHost, Catch, DynamicModule, ExceptionFilter, INestApplication, Module, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { LocalCallerTokens } from '@orders/caller-tokens';
import { TypeOrmModule } from '@nestjs/typeorm';
import { defineEvent, EventDefinition } from '@orders/contracts';
import { postgresOptions, runMigrations, UNIT_OF_WORK_ENTITIES, UNIT_OF_WORK_MIGRATIONS } from '@orders/persistence';
import { DataSource, DataSourceOptions, MigrationInterface, QueryRunner } from 'typeorm';
import { z } from 'zod';
import { JetStreamServer, JetStreamServerOptions, MessagingModule, NatsConnectionManager, OutboxRelayOptions } from '../../src';

/** Handlers record what they did here, one row per effect, in the same transaction as the inbox row. */
export class EffectsTable1763683200001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE effects (consumer text NOT NULL, event_id uuid NOT NULL, order_id uuid NOT NULL)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE effects`);
  }
}

/** Creates the messaging tables and the effects table in a test database. */
export async function migratedDatabase(url: string, applicationName: string): Promise<DataSourceOptions> {
  const options = postgresOptions({ url, applicationName, entities: UNIT_OF_WORK_ENTITIES, migrations: [...UNIT_OF_WORK_MIGRATIONS, EffectsTable1763683200001] });
  await runMigrations(options);
  return options;
}

export async function effectsOf(dataSource: DataSource, consumer: string, orderId: string): Promise<number> {
  const rows: Array<{ n: number }> = await dataSource.query(`SELECT count(*)::int AS n FROM effects WHERE consumer = $1 AND order_id = $2`, [consumer, orderId]);
  return rows[0].n;
}

/** Rethrows handler errors as they are, as every app's error filter does outside HTTP, so the transport sees what was thrown. */
@Catch()
class RethrowErrors implements ExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): never {
    throw exception;
  }
}

/** Stands in for the gateway's key pair: test apps answer queries that carry `TEST_CALLERS.askedBy(...)`. */
export const TEST_CALLERS = new LocalCallerTokens();

export interface ConsumerAppOptions {
  serviceName: string;
  natsUrl: string;
  controllers: Type[];
  /** With a database the app gets MessageTransactions (outbox and inbox). */
  database?: DataSourceOptions;
  outbox?: Partial<OutboxRelayOptions>;
  server?: Partial<JetStreamServerOptions>;
  /** False: the app is initialised (connected to NATS) but its transport is not listening yet. */
  listen?: boolean;
  /** False: the app is only created; the test initialises it and starts its transport. */
  init?: boolean;
}

/** A Nest app consuming events over a real JetStream, wired like the services' bootstrap. */
export async function startConsumerApp(options: ConsumerAppOptions): Promise<INestApplication> {
  const imports: DynamicModule[] = [
    MessagingModule.forRoot({ serviceName: options.serviceName, natsUrl: options.natsUrl, outbox: options.database ? (options.outbox ?? {}) : false }),
  ];
  if (options.database) imports.unshift(TypeOrmModule.forRoot(options.database));

  @Module({ imports, controllers: options.controllers })
  class ConsumerTestModule {}

  const moduleRef = await Test.createTestingModule({ imports: [ConsumerTestModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['fatal'] });
  app.useGlobalFilters(new RethrowErrors());
  const database = options.database ? app.get(DataSource) : undefined;
  app.connectMicroservice(
    { strategy: new JetStreamServer(app.get(NatsConnectionManager), { callers: TEST_CALLERS.verifier, database, ...options.server }) },
    { inheritAppConfig: true },
  );
  if (options.init === false) return app;
  await app.init();
  if (options.listen !== false) await app.startAllMicroservices();
  return app;
}

/** Publishes raw bytes as a broken or foreign publisher would, bypassing the outbox and its validation. */
export async function publishRaw(natsUrl: string, subject: string, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<number> {
  const client = await connect({ servers: natsUrl });
  try {
    const natsHeadersOfMessage = natsHeaders();
    for (const [name, value] of Object.entries(headers)) natsHeadersOfMessage.set(name, value);
    return (await jetstream(client).publish(subject, body, { headers: natsHeadersOfMessage })).seq;
  } finally {
    await client.close();
  }
}

const orderEventSchema = z.object({ orderId: z.uuid() });

/** A test-only event in the ORDER stream, so tests do not depend on how the real contracts evolve. */
export function orderTestEvent(type: `order.${string}`): EventDefinition<z.output<typeof orderEventSchema>> {
  return defineEvent(type, { schema: orderEventSchema });
}

export function catalogOf(...definitions: EventDefinition<unknown>[]): ReadonlyMap<string, EventDefinition<unknown>> {
  return new Map(definitions.map((definition) => [definition.type, definition]));
}
