import { Controller, INestApplication } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EnvelopeOf, GetOrder, QueryRequest, QueryResponse } from '@orders/contracts';
import { MessageTransactions } from '@orders/persistence';
import { createTestDatabase, PrivateNatsServer, startPrivateNatsServer, TestDatabase, waitFor } from '@orders/testing';
import { activeTraceId, startTracing, Tracing } from '@orders/tracing';
import { SpanKind, trace } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace';
import { currentLogContext, JetStreamContext, OnEvent, OnQuery, QueryClient } from '../src';
import { catalogOf, migratedDatabase, orderTestEvent, startConsumerApp, TEST_CALLERS } from './support/test-app';

const Started = orderTestEvent('order.trace-started-test');
const Continued = orderTestEvent('order.trace-continued-test');
const Queued = orderTestEvent('order.trace-queued-test');
const QUEUED_HANDLER_MS = 100;
const SERVICE = 'tracing-test';

/** The trace id each handler saw in its log context, per order. */
const loggedTraceIds = new Map<string, string | undefined>();
const queriedTraceIds: Array<string | undefined> = [];

@Controller()
class TracedHandlers {
  constructor(private readonly transactions: MessageTransactions) {}

  @OnEvent(Started)
  async onStarted(@Payload() event: EnvelopeOf<typeof Started>, @Ctx() context: JetStreamContext): Promise<void> {
    await this.transactions.processOnce(event, context.consumer, (tx) => tx.publish(Continued.create(event.data, { causedBy: event })));
  }

  @OnEvent(Continued)
  async onContinued(@Payload() event: EnvelopeOf<typeof Continued>): Promise<void> {
    loggedTraceIds.set(event.data.orderId, currentLogContext().traceId);
  }

  /** One at a time, so a second message waits for the first. */
  @OnEvent(Queued, { concurrency: 1 })
  async onQueued(@Payload() event: EnvelopeOf<typeof Queued>): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, QUEUED_HANDLER_MS));
    loggedTraceIds.set(event.data.orderId, currentLogContext().traceId);
  }

  @OnQuery(GetOrder)
  async getOrder(@Payload() request: QueryRequest<typeof GetOrder>): Promise<QueryResponse<typeof GetOrder>> {
    queriedTraceIds.push(activeTraceId());
    const now = new Date().toISOString();
    return {
      orderId: request.orderId,
      customerId: 'c',
      status: 'PENDING' as const,
      items: [],
      total: null,
      cancellationReason: null,
      timeline: [],
      createdAt: now,
      updatedAt: now,
    };
  }
}

describe('trace context carried through the outbox, NATS headers and queries', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let database: TestDatabase;
  let nats: PrivateNatsServer;
  let app: INestApplication;

  const spans = () => exporter.getFinishedSpans();
  const named = (name: string, traceId: string): ReadableSpan => {
    const span = spans().find((candidate) => candidate.name === name && candidate.spanContext().traceId === traceId);
    if (!span)
      throw new Error(
        `No span ${name} in trace ${traceId}; have ${spans()
          .map((candidate) => candidate.name)
          .join(', ')}`,
      );
    return span;
  };
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
  const ms = (time: ReadableSpan['startTime']) => hrTimeToMilliseconds(time);
  const handlerStartOf = (span: ReadableSpan) => {
    const event = span.events.find((candidate) => candidate.name === 'handler.start');
    if (!event) throw new Error(`${span.name} has no handler.start event`);
    return ms(event.time);
  };

  beforeAll(async () => {
    tracing = startTracing({ serviceName: SERVICE, exporter, env: { OTEL_BSP_SCHEDULE_DELAY: '20' } });
    [database, nats] = await Promise.all([createTestDatabase('tracing'), startPrivateNatsServer()]);
    const options = await migratedDatabase(database.url, 'tracing-test');
    app = await startConsumerApp({
      serviceName: SERVICE,
      natsUrl: nats.url,
      controllers: [TracedHandlers],
      database: options,
      server: { catalog: catalogOf(Started, Continued, Queued) },
    });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([nats?.dispose(), database?.drop()]);
    await tracing?.shutdown();
  });

  it('makes each consumer span a child of the span that published its event, across two hops, in one trace', async () => {
    const orderId = crypto.randomUUID();
    const traceId = await trace.getTracer('test').startActiveSpan('place order', async (root) => {
      await app.get(MessageTransactions).run((tx) => tx.publish(Started.create({ orderId }, { correlationId: `trace-${orderId}` })));
      root.end();
      return root.spanContext().traceId;
    });

    await waitFor(() => loggedTraceIds.has(orderId) || undefined, { description: 'the second event to be handled' });
    await tracing.flush();

    const root = named('place order', traceId);
    const published = named(`${Started.type} publish`, traceId);
    const consumed = named(`${Started.type} process`, traceId);
    const republished = named(`${Continued.type} publish`, traceId);
    const consumedAgain = named(`${Continued.type} process`, traceId);
    expect(published.kind).toBe(SpanKind.PRODUCER);
    expect(parentOf(published)).toBe(root.spanContext().spanId);
    expect(consumed.kind).toBe(SpanKind.CONSUMER);
    expect(parentOf(consumed)).toBe(published.spanContext().spanId);
    expect(consumed.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.destination.name': Started.subject,
      'messaging.consumer.group.name': `${SERVICE}-order-trace-started-test`,
    });
    // What a handler publishes continues the trace from the span handling its event.
    expect(parentOf(republished)).toBe(consumed.spanContext().spanId);
    expect(parentOf(consumedAgain)).toBe(republished.spanContext().spanId);
    // Log lines written while handling lead to the same trace.
    expect(loggedTraceIds.get(orderId)).toBe(traceId);
  });

  it('records each hop of an event: its commit, the relay sending it, its receipt and its handler, every span naming the order', async () => {
    const orderId = crypto.randomUUID();
    const traceId = await trace.getTracer('test').startActiveSpan('place order', async (root) => {
      await app.get(MessageTransactions).run(async (tx) => {
        await tx.publish(Started.create({ orderId }, { correlationId: `hops-${orderId}` }));
        await tx.query('SELECT pg_sleep(0.05)');
      });
      root.end();
      return root.spanContext().traceId;
    });
    await waitFor(() => loggedTraceIds.has(orderId) || undefined, { description: 'the second event to be handled' });
    await tracing.flush();

    const published = named(`${Started.type} publish`, traceId);
    const sent = named(`${Started.subject} send`, traceId);
    const consumed = named(`${Started.type} process`, traceId);
    // The PRODUCER span lasts until its transaction commits.
    expect(ms(published.endTime) - ms(published.startTime)).toBeGreaterThanOrEqual(50);
    expect(published.attributes['messaging.operation.type']).toBe('create');
    expect(sent.kind).toBe(SpanKind.CLIENT);
    expect(parentOf(sent)).toBe(published.spanContext().spanId);
    expect(sent.attributes).toMatchObject({ 'messaging.operation.type': 'send', 'messaging.destination.name': Started.subject });
    // Commit, then send, then receipt, then handler: each no earlier than the one before.
    expect(ms(sent.startTime)).toBeGreaterThanOrEqual(ms(published.endTime));
    expect(ms(consumed.startTime)).toBeGreaterThanOrEqual(ms(sent.startTime));
    expect(handlerStartOf(consumed)).toBeGreaterThanOrEqual(ms(consumed.startTime));
    expect(ms(consumed.endTime)).toBeGreaterThanOrEqual(handlerStartOf(consumed));
    for (const span of [published, sent, consumed, named(`${Continued.type} publish`, traceId), named(`${Continued.type} process`, traceId)]) {
      expect(span.attributes['order.id']).toBe(orderId);
    }
  });

  it('starts a consumer span when the message is received, so its wait for a free handler shows before handler.start', async () => {
    const orderIds = [crypto.randomUUID(), crypto.randomUUID()];
    await app.get(MessageTransactions).run((tx) => tx.publish(...orderIds.map((orderId) => Queued.create({ orderId }, { correlationId: `queued-${orderId}` }))));
    await waitFor(() => orderIds.every((orderId) => loggedTraceIds.has(orderId)) || undefined, { description: 'both events to be handled' });
    await tracing.flush();

    const [first, second] = orderIds.map((orderId) => spans().find((span) => span.name === `${Queued.type} process` && span.attributes['order.id'] === orderId));
    if (!first || !second) throw new Error('a consumer span is missing');
    // The second was received while the first was handled, and waited for it.
    expect(handlerStartOf(first) - ms(first.startTime)).toBeLessThan(QUEUED_HANDLER_MS / 2);
    expect(handlerStartOf(second) - ms(second.startTime)).toBeGreaterThanOrEqual(QUEUED_HANDLER_MS / 2);
    expect(handlerStartOf(second)).toBeGreaterThanOrEqual(ms(first.endTime));
  });

  it('continues the asking span in the span that answers a query', async () => {
    const traceId = await trace.getTracer('test').startActiveSpan('ask', async (root) => {
      await app.get(QueryClient).request(GetOrder, { orderId: crypto.randomUUID() }, TEST_CALLERS.askedBy('c'));
      root.end();
      return root.spanContext().traceId;
    });
    await tracing.flush();

    const asked = named(`${GetOrder.subject} request`, traceId);
    const answered = named(`${GetOrder.subject} process`, traceId);
    expect(asked.kind).toBe(SpanKind.CLIENT);
    expect(answered.kind).toBe(SpanKind.SERVER);
    expect(parentOf(answered)).toBe(asked.spanContext().spanId);
    expect(queriedTraceIds).toContain(traceId);
  });
});
