import { waitFor } from '@orders/local-processes';
import { jetstream, jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import type { INestApplication } from '@nestjs/common';
import { EventEnvelope, eventSubject } from '@orders/contracts';
import { DataSource } from 'typeorm';
import { PrivateNatsServer, startPrivateNatsServer } from './private-nats-server';
import { createTestDatabase, TestDatabase } from './test-database';

/**
 * One event-driven service running in the test process on a database and a
 * JetStream server of its own, driven the way the saga drives it: by events
 * published to its streams, observed through its tables, outbox and consumers.
 */
export interface ServiceTestBed {
  readonly app: INestApplication;
  readonly database: TestDatabase;
  readonly nats: PrivateNatsServer;
  /** Publishes like an outbox relay would; a distinct `msgID` gets past JetStream's de-duplication, as a redelivery does. */
  publish(event: EventEnvelope, msgID?: string): Promise<void>;
  /** Waits until the durable consumer has nothing left to deliver or to have acknowledged, duplicates included. */
  drained(stream: string, consumer: string): Promise<void>;
  /** How many messages the durable consumer delivered, redeliveries included. */
  deliveries(stream: string, consumer: string): Promise<number>;
  /** What the service wrote to its outbox about the order, oldest first. */
  published(orderId: string): Promise<EventEnvelope[]>;
  /** Rows of a query on the service's database. */
  // Row shapes are the caller's to state, per query.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query<TRow = any>(sql: string, parameters?: unknown[]): Promise<TRow[]>;
  /** Closes the app, then removes its JetStream server and database. */
  stop(): Promise<void>;
}

export interface ServiceTestBedEnvironment {
  databaseUrl: string;
  natsUrl: string;
}

const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Creates the database and JetStream server, lets `create` migrate the database and
 * create the app (as the service's main.ts does), then starts its consumers.
 */
export async function startServiceTestBed(label: string, create: (environment: ServiceTestBedEnvironment) => Promise<INestApplication>): Promise<ServiceTestBed> {
  const [database, nats] = await Promise.all([createTestDatabase(label), startPrivateNatsServer()]);
  let app: INestApplication | undefined;
  let client: NatsConnection | undefined;
  const stop = async (): Promise<void> => {
    await client?.close();
    await app?.close();
    await nats.dispose();
    await database.drop();
  };
  let jsm: JetStreamManager;
  try {
    app = await create({ databaseUrl: database.url, natsUrl: nats.url });
    await app.startAllMicroservices();
    await app.init();
    client = await connect({ servers: nats.url });
    jsm = await jetstreamManager(client);
  } catch (error) {
    await stop();
    throw error;
  }
  const dataSource = app.get(DataSource);
  const js = jetstream(client);
  const query = <TRow>(sql: string, parameters: unknown[] = []): Promise<TRow[]> => dataSource.query(sql, parameters);
  return {
    app,
    database,
    nats,
    query,
    stop,
    async publish(event, msgID = event.id) {
      await js.publish(eventSubject(event.type, event.version), JSON.stringify(event), { msgID });
    },
    async drained(stream, consumer) {
      await waitFor(
        async () => {
          const info = await jsm.consumers.info(stream, consumer);
          return info.num_pending === 0 && info.num_ack_pending === 0;
        },
        { timeoutMs: DRAIN_TIMEOUT_MS, description: `${consumer} to ack everything` },
      );
    },
    async deliveries(stream, consumer) {
      return (await jsm.consumers.info(stream, consumer)).delivered.consumer_seq;
    },
    async published(orderId) {
      const rows = await query<{ payload: EventEnvelope }>(`SELECT payload FROM outbox WHERE payload -> 'data' ->> 'orderId' = $1 ORDER BY seq`, [orderId]);
      return rows.map((row) => row.payload);
    },
  };
}
