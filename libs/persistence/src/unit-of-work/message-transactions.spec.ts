import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace';
import { defineEvent } from '@orders/contracts';
import { createTestDatabase, TestDatabase } from '@orders/testing';
import { startTracing, Tracing } from '@orders/tracing';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { MessageTransactions, postgresOptions, runMigrations, UNIT_OF_WORK_ENTITIES, UNIT_OF_WORK_MIGRATIONS } from '../index';

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
      await tx.manager.query('SELECT pg_sleep(0.05)');
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
