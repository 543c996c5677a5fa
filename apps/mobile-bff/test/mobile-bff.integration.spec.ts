import { connect, NatsConnection, Subscription } from '@nats-io/transport-node';
import { INestApplication } from '@nestjs/common';
import { LocalCallerTokens } from '@orders/caller-tokens';
import { GetOrder, HEADERS, ListOrders, QueryDefinition, QueryReply } from '@orders/contracts';
import { createApp } from '@orders/service-runtime';
import { privateNatsServerForSuite } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { MobileBffModule } from '../src/app.module';
import { mobileBffConfig } from '../src/config';
import { orderView } from './order-view';

process.env.LOG_LEVEL ??= 'fatal';
// A private server: real services on a shared NATS would answer these queries too.
const natsServer = privateNatsServerForSuite();
/** Stands in for the gateway's key pair: the BFF verifies callers with the public half. */
const CALLERS = new LocalCallerTokens();

/**
 * A fake order-service for one test: it answers only requests carrying that test's request id,
 * so tests running in parallel on the same NATS server never answer each other.
 */
class FakeOrderService {
  readonly asked: Array<{ subject: string; payload: unknown }> = [];
  /** Whom each query was asked for, as order-service verifies its caller token. */
  readonly callers: Array<string | undefined> = [];
  readonly deadlines: Array<string | undefined> = [];
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly nats: NatsConnection,
    readonly requestId: string,
  ) {}

  async on<TRequest, TResponse>(query: QueryDefinition<TRequest, TResponse>, answer: (request: TRequest) => QueryReply<TResponse>): Promise<void> {
    this.subscriptions.push(
      this.nats.subscribe(query.subject, {
        callback: (error, message) => {
          if (error || message.headers?.get(HEADERS.requestId) !== this.requestId) return;
          const payload = message.json<TRequest>();
          this.asked.push({ subject: query.subject, payload });
          this.callers.push(CALLERS.callerOf(message.headers?.get(HEADERS.authorization))?.userId);
          this.deadlines.push(message.headers?.get(HEADERS.deadline));
          message.respond(JSON.stringify(answer(payload)));
        },
      }),
    );
    await this.nats.flush();
  }

  close(): void {
    this.subscriptions.forEach((subscription) => subscription.unsubscribe());
  }
}

function publicKeyEnv(): Record<string, string> {
  return { CALLER_TOKEN_PUBLIC_KEY: CALLERS.keys.env.CALLER_TOKEN_PUBLIC_KEY };
}

describe('mobile-bff orders', () => {
  let app: INestApplication;
  let url: string;
  let nats: NatsConnection;
  let orderService: FakeOrderService;

  beforeAll(async () => {
    const config = mobileBffConfig({ PORT: '0', HOST: '127.0.0.1', NATS_URL: natsServer.url, QUERY_TIMEOUT_MS: '10000', ...publicKeyEnv() });
    app = await createApp(MobileBffModule.forRoot(config, `mobile-bff-test-${randomUUID()}`), {
      name: 'mobile-bff-test',
      port: 0,
      host: '127.0.0.1',
      consumesMessages: false,
      callers: CALLERS.verifier,
    });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    nats = await connect({ servers: natsServer.url, name: `mobile-bff-test-responders-${randomUUID()}` });
  }, 30_000);

  beforeEach(() => {
    orderService = new FakeOrderService(nats, randomUUID());
  });

  afterEach(() => orderService.close());

  afterAll(async () => {
    await app?.close();
    await nats?.close();
  });

  const get = (path: string, headers: Record<string, string> = { authorization: CALLERS.authorizationFor('alice') }) =>
    fetch(`${url}${path}`, { headers: { [HEADERS.requestId]: orderService.requestId, ...headers } });

  it('lists the caller’s orders in the lean shape, passing limit and cursor through', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    await orderService.on(ListOrders, () => ({
      ok: true,
      data: { items: [orderView(first), orderView(second, { status: 'PENDING', total: null, items: [{ sku: 'SKU-MUG', quantity: 1 }] })], nextCursor: 'next-page' },
    }));

    const response = await get('/api/mobile/v1/orders?limit=2&cursor=this-page');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      items: [
        { id: first, status: 'CONFIRMED', total: { amount: 6995, currency: 'EUR' }, itemCount: 5, updatedAt: '2025-11-20T10:00:05.000Z' },
        { id: second, status: 'PENDING', total: null, itemCount: 1, updatedAt: '2025-11-20T10:00:05.000Z' },
      ],
      nextCursor: 'next-page',
    });
    expect(orderService.asked).toEqual([{ subject: ListOrders.subject, payload: { limit: 2, cursor: 'this-page' } }]);
    expect(orderService.callers).toEqual(['alice']);
  });

  it('asks for 20 orders unless told otherwise', async () => {
    await orderService.on(ListOrders, () => ({ ok: true, data: { items: [], nextCursor: null } }));

    const response = await get('/api/mobile/v1/orders');

    expect(await response.json()).toEqual({ items: [], nextCursor: null });
    expect(orderService.asked[0].payload).toEqual({ limit: 20 });
  });

  it('rejects a limit outside 1-100', async () => {
    const response = await get('/api/mobile/v1/orders?limit=500');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
  });

  it('shows one order in the lean shape', async () => {
    const orderId = randomUUID();
    await orderService.on(GetOrder, (request) => ({ ok: true, data: orderView(request.orderId) }));

    const response = await get(`/api/mobile/v1/orders/${orderId}`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: orderId, status: 'CONFIRMED', total: { amount: 6995, currency: 'EUR' }, itemCount: 5, updatedAt: '2025-11-20T10:00:05.000Z' });
    expect(orderService.asked[0].payload).toEqual({ orderId });
    expect(orderService.callers).toEqual(['alice']);
  });

  it('answers 404 for an order that does not exist', async () => {
    await orderService.on(GetOrder, () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no such order' } }));

    const response = await get(`/api/mobile/v1/orders/${randomUUID()}`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'ORDER_NOT_FOUND', message: expect.any(String) }, requestId: orderService.requestId });
  });

  it('asks order-service with the caller’s deadline', async () => {
    const orderId = randomUUID();
    await orderService.on(GetOrder, (request) => ({ ok: true, data: orderView(request.orderId) }));
    const deadline = String(Date.now() + 3_000);

    const response = await get(`/api/mobile/v1/orders/${orderId}`, { authorization: CALLERS.authorizationFor('alice'), [HEADERS.deadline]: deadline });

    expect(response.status).toBe(200);
    expect(orderService.deadlines).toEqual([deadline]);
  });

  it.each([
    ['INVALID_CURSOR', 'INVALID_CURSOR'],
    ['INVALID_REQUEST', 'VALIDATION_FAILED'],
  ])('answers a query refused as %s with 400 %s, as the order API does', async (queryCode, code) => {
    await orderService.on(ListOrders, () => ({ ok: false, error: { code: queryCode, message: 'The cursor is not one a previous page returned' } }));

    const response = await get('/api/mobile/v1/orders?cursor=forged');

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code, message: 'The cursor is not one a previous page returned' }, requestId: orderService.requestId });
  });

  it('answers 503 when order-service fails to answer', async () => {
    await orderService.on(ListOrders, () => ({ ok: false, error: { code: 'INTERNAL', message: 'boom' } }));
    const response = await get('/api/mobile/v1/orders');
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it.each([
    ['no caller token', {}],
    ['identity headers only', { 'x-user-id': 'alice', 'x-user-roles': 'customer' }],
    ['a caller token signed with another key', { authorization: new LocalCallerTokens().authorizationFor('alice') }],
    ['the client’s own kind of bearer token', { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.' }],
  ])('answers 401 and asks nobody with %s', async (_label, headers: Record<string, string>) => {
    await orderService.on(ListOrders, () => ({ ok: true, data: { items: [], nextCursor: null } }));
    for (const path of ['/api/mobile/v1/orders', `/api/mobile/v1/orders/${randomUUID()}`]) {
      const response = await get(path, headers);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    }
    expect(orderService.asked).toEqual([]);
  });

  it('is ready while connected to NATS', async () => {
    const response = await fetch(`${url}/health/ready`);
    expect(response.status).toBe(200);
  });
});
