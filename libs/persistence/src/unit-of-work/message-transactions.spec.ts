import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace';
import { defineEvent } from '@orders/contracts';
import { createTestDatabase, TestDatabase } from '@orders/testing';
import { startTracing, Tracing } from '@orders/tracing';
import { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { z } from 'zod';
import { MessageTransactions, postgresOptions, runMigrations, Transaction, UNIT_OF_WORK_ENTITIES, UNIT_OF_WORK_MIGRATIONS } from '../index';

const Noted = defineEvent('order.noted-test', { schema: z.object({ orderId: z.uuid() }) });

describe('the PRODUCER span of an event written to the outbox', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let database: TestDatabase;
  let dataSource: DataSource;
  let transactions: MessageTransactions;

  const producerSpanOf = async (orderId: string): Promise<ReadableSpan> => {
    await tracing.flush();
    const span = exporter.getFinishedSpans().find((candidate) => candidate.attributes['order.id'] === orderId);
    if (!span) throw new Error(`No span for order ${orderId}`);
    return span;
  };

  beforeAll(async () => {
    tracing = startTracing({ serviceName: 'persistence-spec', exporter, env: {} });
    database = await createTestDatabase('message-transactions');
    const options = postgresOptions({ url: database.url, applicationName: 'persistence-test', entities: UNIT_OF_WORK_ENTITIES, migrations: UNIT_OF_WORK_MIGRATIONS });
    await runMigrations(options);
    dataSource = await new DataSource(options).initialize();
    transactions = new MessageTransactions(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
    await tracing?.shutdown();
  });

  it('ends when its transaction commits, not when the row is inserted, and names the order', async () => {
    const orderId = crypto.randomUUID();
    let inserted = 0;
    await transactions.run(async (tx) => {
      await tx.publish(Noted.create({ orderId }, { correlationId: 'c' }));
      inserted = performance.timeOrigin + performance.now();
      await tx.query('SELECT pg_sleep(0.05)');
    });
    const committed = performance.timeOrigin + performance.now();

    const span = await producerSpanOf(orderId);
    expect(span.kind).toBe(SpanKind.PRODUCER);
    expect(span.attributes).toMatchObject({ 'messaging.operation.type': 'create', 'messaging.message.id': expect.any(String), 'order.id': orderId });
    expect(hrTimeToMilliseconds(span.startTime)).toBeLessThanOrEqual(inserted);
    expect(hrTimeToMilliseconds(span.endTime)).toBeGreaterThanOrEqual(inserted + 50);
    expect(hrTimeToMilliseconds(span.endTime)).toBeLessThanOrEqual(committed);
  });

  it('ends failed when its transaction rolls back, and nothing reaches the outbox', async () => {
    const orderId = crypto.randomUUID();
    const failure = transactions.run(async (tx) => {
      await tx.publish(Noted.create({ orderId }, { correlationId: 'c' }));
      throw new Error('changed my mind');
    });
    await expect(failure).rejects.toThrow('changed my mind');

    expect((await producerSpanOf(orderId)).status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'changed my mind' });
    expect(await dataSource.query(`SELECT 1 FROM outbox WHERE payload->'data'->>'orderId' = $1`, [orderId])).toEqual([]);
  });
});

describe('the statements a unit of work sends', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let transactions: MessageTransactions;
  let sent: string[] = [];

  /** Records every statement the pool's connections send, as Postgres receives them. */
  const recordStatements = (pool: Pool): void => {
    const recorded = new WeakSet<PoolClient>();
    pool.on('acquire', (client) => {
      if (recorded.has(client)) return;
      recorded.add(client);
      const query = client.query.bind(client) as (sql: string, parameters?: unknown[]) => Promise<unknown>;
      Object.assign(client, { query: (sql: string, parameters?: unknown[]) => (sent.push(sql), query(sql, parameters)) });
    });
  };
  /** What a unit of work sent between its BEGIN and its COMMIT. */
  const statementsOf = async (work: (tx: Transaction) => Promise<void>): Promise<string[]> => {
    sent = [];
    await transactions.run(work);
    return sent.filter((query) => !/^(START TRANSACTION|COMMIT)$/.test(query));
  };
  const effectsOf = async (orderId: string): Promise<string[]> =>
    ((await dataSource.query(`SELECT note FROM effects WHERE order_id = $1 ORDER BY note`, [orderId])) as { note: string }[]).map((row) => row.note);
  const inOutbox = async (orderId: string): Promise<boolean> =>
    ((await dataSource.query(`SELECT 1 FROM outbox WHERE payload->'data'->>'orderId' = $1`, [orderId])) as unknown[]).length > 0;
  const noted = (orderId: string) => Noted.create({ orderId }, { correlationId: 'c' });

  beforeAll(async () => {
    database = await createTestDatabase('unit-of-work-statements');
    const options = postgresOptions({ url: database.url, applicationName: 'persistence-test', entities: UNIT_OF_WORK_ENTITIES, migrations: UNIT_OF_WORK_MIGRATIONS });
    await runMigrations(options);
    dataSource = await new DataSource(options).initialize();
    recordStatements((dataSource.driver as PostgresDriver).master);
    await dataSource.query(`CREATE TABLE effects (order_id uuid NOT NULL, note text NOT NULL CHECK (note <> ''))`);
    transactions = new MessageTransactions(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('sends a write together with the outbox rows of the event that follows it', async () => {
    const orderId = crypto.randomUUID();
    const statements = await statementsOf(async (tx) => {
      await tx.write(`INSERT INTO effects (order_id, note) VALUES ($1, $2)`, [orderId, 'written']);
      await tx.publish(noted(orderId));
    });

    expect(statements).toHaveLength(1);
    expect(await effectsOf(orderId)).toEqual(['written']);
    expect(await inOutbox(orderId)).toBe(true);
  });

  it('merges the outbox rows into a write that has its own WITH list', async () => {
    const orderId = crypto.randomUUID();
    const statements = await statementsOf(async (tx) => {
      await tx.write(`WITH first AS (INSERT INTO effects (order_id, note) VALUES ($1, 'a')) INSERT INTO effects (order_id, note) VALUES ($1, 'b')`, [orderId]);
      await tx.publish(noted(orderId));
    });

    expect(statements).toHaveLength(1);
    expect(await effectsOf(orderId)).toEqual(['a', 'b']);
    expect(await inOutbox(orderId)).toBe(true);
  });

  it('never puts two writes in one statement, and a query sees the writes before it', async () => {
    const orderId = crypto.randomUUID();
    let seen: unknown[] = [];
    const statements = await statementsOf(async (tx) => {
      await tx.write(`INSERT INTO effects (order_id, note) VALUES ($1, 'first')`, [orderId]);
      await tx.write(`UPDATE effects SET note = 'second' WHERE order_id = $1`, [orderId]);
      seen = await tx.query(`SELECT note FROM effects WHERE order_id = $1`, [orderId]);
    });

    expect(statements).toHaveLength(3);
    expect(seen).toEqual([{ note: 'second' }]);
  });

  it('sends a write nothing followed before the commit', async () => {
    const orderId = crypto.randomUUID();
    await statementsOf((tx) => tx.write(`INSERT INTO effects (order_id, note) VALUES ($1, 'last')`, [orderId]));

    expect(await effectsOf(orderId)).toEqual(['last']);
  });

  it('fails the whole unit when a write sent later fails, and commits none of it', async () => {
    const orderId = crypto.randomUUID();
    const failing = transactions.run(async (tx) => {
      await tx.query(`INSERT INTO effects (order_id, note) VALUES ($1, 'kept only if all commit')`, [orderId]);
      await tx.write(`INSERT INTO effects (order_id, note) VALUES ($1, '')`, [orderId]);
      await tx.publish(noted(orderId));
    });

    await expect(failing).rejects.toThrow(/check constraint/);
    expect(await effectsOf(orderId)).toEqual([]);
    expect(await inOutbox(orderId)).toBe(false);
  });
});
