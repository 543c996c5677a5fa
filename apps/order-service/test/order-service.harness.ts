import { jetstream, jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { INestApplication } from '@nestjs/common';
import { LocalCallerTokens } from '@orders/caller-tokens';
import {
  EVENT_CATALOG,
  EventDefinition,
  EventEnvelope,
  InventoryCommitted,
  InventoryReserved,
  PaymentAuthorized,
  PaymentCaptured,
  ShippingScheduled,
  streamForContext,
} from '@orders/contracts';
import { durableConsumerName } from '@orders/messaging';
import { runMigrations } from '@orders/persistence';
import { createApp } from '@orders/service-runtime';
import { createTestDatabase, PrivateNatsServer, startPrivateNatsServer, TestDatabase, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { OrderModule } from '../src/app.module';
import { OrderConfig, SERVICE_NAME } from '../src/config';
import { orderDatabase } from '../src/infrastructure/database';

export const ORDER = {
  items: [{ sku: 'SKU-TSHIRT', quantity: 2 }],
  shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
  payment: { token: 'tok_visa' },
};
export const TOTAL = { amount: 3998, currency: 'EUR' };

/** The gateway's signing key stand-in: order-service verifies every caller with its public half. */
export const CALLERS = new LocalCallerTokens();

export interface HttpAnswer {
  status: number;
  headers: Headers;
  // Parsed JSON of whatever the service answered.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/**
 * order-service on a database and a nats-server of its own, wired exactly as main.ts
 * does it (error filter, request ids, JetStream consumers, query responders, the saga
 * deadline watchdog), with the helpers its tests share.
 */
export class OrderServiceUnderTest {
  private constructor(
    readonly app: INestApplication,
    readonly dataSource: DataSource,
    readonly jsm: JetStreamManager,
    private readonly client: NatsConnection,
    private readonly baseUrl: string,
    private readonly database: TestDatabase,
    private readonly nats: PrivateNatsServer,
  ) {}

  static async start(
    settings: Partial<
      Pick<
        OrderConfig,
        'SAGA_TIMEOUT_MS' | 'SAGA_WATCHDOG_INTERVAL_MS' | 'LOST_ORDER_WAIT_MS' | 'IDEMPOTENCY_KEY_TTL_MS' | 'IDEMPOTENCY_PURGE_INTERVAL_MS' | 'ADMISSION_MAX_SAGAS_IN_FLIGHT'
      >
    > = {},
  ): Promise<OrderServiceUnderTest> {
    process.env.LOG_LEVEL ??= 'warn';
    const [database, nats] = await Promise.all([createTestDatabase('order-service'), startPrivateNatsServer()]);
    await runMigrations(orderDatabase(database.url));
    const config: OrderConfig = {
      PORT: 0,
      HOST: '127.0.0.1',
      NATS_URL: nats.url,
      DATABASE_URL: database.url,
      CALLER_TOKEN_PUBLIC_KEY: CALLERS.keys.publicKey,
      SAGA_TIMEOUT_MS: 5 * 60_000,
      SAGA_WATCHDOG_INTERVAL_MS: 5_000,
      LOST_ORDER_WAIT_MS: 60_000,
      CONSUMER_PRECEDING_EVENT_WAIT_MS: 10 * 60_000,
      IDEMPOTENCY_KEY_TTL_MS: 24 * 60 * 60_000,
      IDEMPOTENCY_PURGE_INTERVAL_MS: 10 * 60_000,
      ADMISSION_MAX_SAGAS_IN_FLIGHT: 100,
      ADMISSION_WINDOW_MS: 60_000,
      ...settings,
    };
    const app = await createApp(OrderModule.forRoot(config), { name: SERVICE_NAME, port: config.PORT, host: config.HOST, consumesMessages: true, callers: CALLERS.verifier });
    await app.init();
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const client = await connect({ servers: nats.url });
    return new OrderServiceUnderTest(app, app.get(DataSource), await jetstreamManager(client), client, baseUrl, database, nats);
  }

  async stop(): Promise<void> {
    await this.client.close();
    await this.app.close();
    await this.nats.dispose();
    await this.database.drop();
  }

  async http(method: string, path: string, options: { user?: string; roles?: string[]; headers?: Record<string, string>; body?: unknown } = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.user) headers.authorization = CALLERS.authorizationFor(options.user, options.roles);
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json') ?? false;
    return { status: response.status, headers: response.headers, body: json && text ? JSON.parse(text) : text || undefined };
  }

  /** The value of one sample on /metrics, e.g. `sample('orders_saga_outcomes_total', { outcome: 'confirmed' })`; 0 when absent. */
  async sample(name: string, labels: Record<string, string>): Promise<number> {
    const text = await (await fetch(`${this.baseUrl}/metrics`)).text();
    const line = text.split('\n').find((candidate) => {
      if (!candidate.startsWith(`${name}{`)) return false;
      return Object.entries(labels).every(([label, value]) => candidate.includes(`${label}="${value}"`));
    });
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  }

  placeOrder(user: string, key: string, body: unknown = ORDER, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return this.http('POST', '/internal/orders', { user, body, headers: { 'idempotency-key': key, ...headers } });
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    return Number((await this.dataSource.query(sql, params))[0].n);
  }

  outboxFor(orderId: string, subject: string): Promise<number> {
    return this.count(`SELECT count(*)::int AS n FROM outbox WHERE subject = $1 AND payload->'data'->>'orderId' = $2`, [subject, orderId]);
  }

  async orderStatus(orderId: string): Promise<string | undefined> {
    return (await this.dataSource.query(`SELECT status FROM orders WHERE id = $1`, [orderId]))[0]?.status;
  }

  async publish(event: EventEnvelope, msgID = event.id): Promise<void> {
    const subject = `${event.type}.v${event.version}`;
    await jetstream(this.client).publish(subject, JSON.stringify(event), { msgID });
  }

  /** The order as its customer sees it. */
  async view(orderId: string, user: string): Promise<HttpAnswer['body']> {
    return (await this.http('GET', `/internal/orders/${orderId}`, { user })).body;
  }

  /** Waits until order-service has handled the event (its inbox row is committed). */
  async processed(event: EventEnvelope): Promise<void> {
    await waitFor(async () => (await this.count(`SELECT count(*)::int AS n FROM inbox WHERE message_id = $1`, [event.id])) === 1, {
      timeoutMs: 15_000,
      description: `${event.type} ${event.id} processed`,
    });
  }

  /** Waits until the outbox relay put a message of `subject` about the order into the stream; answers all there are. */
  async streamed(stream: string, subject: string, orderId: string): Promise<EventEnvelope[]> {
    return waitFor(
      async () => {
        const found = await this.readStream(stream, subject, orderId);
        return found.length > 0 && found;
      },
      { timeoutMs: 15_000, description: `${subject} about ${orderId} in ${stream}` },
    );
  }

  private async readStream(stream: string, subject: string, orderId: string): Promise<EventEnvelope[]> {
    const info = await this.jsm.streams.info(stream, { subjects_filter: subject });
    const stored = info.state.subjects?.[subject] ?? 0;
    if (stored === 0) return [];
    const consumer = await jetstream(this.client).consumers.get(stream, { filter_subjects: subject });
    const found: EventEnvelope[] = [];
    let read = 0;
    for await (const message of await consumer.fetch({ max_messages: stored, expires: 5_000 })) {
      const event = message.json<EventEnvelope<{ orderId?: string }>>();
      if (event.data.orderId === orderId) found.push(event);
      if (++read === stored) break;
    }
    return found;
  }

  /**
   * Waits until the consumer of each event's type has acknowledged everything it was given: unlike
   * `processed`, this includes what a handler does after its transaction commits (metrics, the watermark).
   */
  async handled(...events: EventEnvelope[]): Promise<void> {
    for (const type of new Set(events.map((event) => event.type))) {
      const definition = EVENT_CATALOG.get(type);
      if (!definition) throw new Error(`${type} is not an event of the contracts`);
      await this.consumerDrained(streamForContext(definition.context).name, durableConsumerName(SERVICE_NAME, type));
    }
  }

  /** Waits until the durable consumer has nothing left to deliver or to have acknowledged. */
  private async consumerDrained(stream: string, consumer: string): Promise<void> {
    await waitFor(
      async () => {
        const info = await this.jsm.consumers.info(stream, consumer);
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
      { timeoutMs: 15_000, description: `${consumer} drained` },
    );
  }
}

/** An event of the saga, happening `secondsLater` after now so the expected timeline order is unambiguous. */
export function sagaEvent<TData>(definition: EventDefinition<TData>, data: TData, secondsLater: number, correlationId = `test-${randomUUID()}`): EventEnvelope<TData> {
  const event = definition.create(data, { correlationId });
  return { ...event, occurredAt: new Date(Date.now() + secondsLater * 1_000).toISOString() };
}

/** The events of a successful saga, `spacingSeconds` apart from now on. */
export function happyPath(orderId: string, correlationId?: string, spacingSeconds = 1) {
  const reservationId = randomUUID();
  const paymentId = randomUUID();
  const step = (index: number) => index * spacingSeconds;
  return {
    reserved: sagaEvent(
      InventoryReserved,
      {
        orderId,
        reservationId,
        lines: [{ sku: 'SKU-TSHIRT', quantity: 2, unitPrice: { amount: 1999, currency: 'EUR' } }],
        total: TOTAL,
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
      },
      step(1),
      correlationId,
    ),
    authorized: sagaEvent(PaymentAuthorized, { orderId, paymentId, amount: TOTAL }, step(2), correlationId),
    scheduled: sagaEvent(ShippingScheduled, { orderId, shipmentId: randomUUID(), trackingNumber: 'TRACK-1' }, step(3), correlationId),
    captured: sagaEvent(PaymentCaptured, { orderId, paymentId, amount: TOTAL }, step(4), correlationId),
    committed: sagaEvent(InventoryCommitted, { orderId, reservationId }, step(5), correlationId),
  };
}
