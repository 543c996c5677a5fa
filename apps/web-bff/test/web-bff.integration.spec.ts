import { connect, NatsConnection, Subscription } from '@nats-io/transport-node';
import { INestApplication } from '@nestjs/common';
import { LocalCallerTokens } from '@orders/caller-tokens';
import { GetOrder, GetPaymentByOrder, GetShipmentByOrder, HEADERS, ListProducts, OrderView, QueryDefinition, QueryReply } from '@orders/contracts';
import { createApp } from '@orders/service-runtime';
import { privateNatsServerForSuite, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { WebBffModule } from '../src/app.module';
import { webBffConfig } from '../src/config';

process.env.LOG_LEVEL ??= 'fatal';
// A private server: real services on a shared NATS would answer these queries too.
const natsServer = privateNatsServerForSuite();
/** Stands in for the gateway's key pair: the BFF verifies callers with the public half. */
const CALLERS = new LocalCallerTokens();

interface Asked {
  subject: string;
  payload: unknown;
  headers: Record<string, string | undefined>;
}

/**
 * Fake services for one test: they answer only requests carrying that test's request id,
 * so tests running in parallel on the same NATS server never answer each other.
 */
class FakeServices {
  readonly asked: Asked[] = [];
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly nats: NatsConnection,
    readonly requestId: string,
  ) {}

  on<TRequest, TResponse>(query: QueryDefinition<TRequest, TResponse>, answer: (request: TRequest) => QueryReply<TResponse> | 'silence'): this {
    this.subscriptions.push(
      this.nats.subscribe(query.subject, {
        callback: (error, message) => {
          if (error || message.headers?.get(HEADERS.requestId) !== this.requestId) return;
          const payload = message.json<TRequest>();
          this.asked.push({
            subject: query.subject,
            payload,
            headers: {
              requestId: message.headers?.get(HEADERS.requestId),
              correlationId: message.headers?.get(HEADERS.correlationId),
              deadline: message.headers?.get(HEADERS.deadline),
              caller: CALLERS.callerOf(message.headers?.get(HEADERS.authorization))?.userId,
            },
          });
          const reply = answer(payload);
          if (reply !== 'silence') message.respond(JSON.stringify(reply));
        },
      }),
    );
    return this;
  }

  async ready(): Promise<void> {
    await this.nats.flush();
  }

  close(): void {
    this.subscriptions.forEach((subscription) => subscription.unsubscribe());
  }
}

const ok = <T>(data: T): QueryReply<T> => ({ ok: true, data });
const failed = (code: string, message = code): QueryReply<never> => ({ ok: false, error: { code, message } });

function orderView(orderId: string, customerId: string): OrderView {
  return {
    orderId,
    customerId,
    status: 'CONFIRMED',
    items: [
      { sku: 'SKU-TSHIRT', quantity: 2 },
      { sku: 'SKU-MUG', quantity: 1 },
      { sku: 'SKU-TSHIRT', quantity: 1 },
    ],
    total: { amount: 5997, currency: 'EUR' },
    cancellationReason: null,
    timeline: [{ type: 'OrderPlaced', at: '2025-11-20T10:00:00.000Z' }],
    createdAt: '2025-11-20T10:00:00.000Z',
    updatedAt: '2025-11-20T10:00:05.000Z',
  };
}

const payment = (orderId: string) => ({
  paymentId: randomUUID(),
  orderId,
  status: 'CAPTURED' as const,
  amount: { amount: 5997, currency: 'EUR' },
  updatedAt: '2025-11-20T10:00:03.000Z',
});
const shipment = (orderId: string) => ({ shipmentId: randomUUID(), orderId, status: 'SCHEDULED' as const, trackingNumber: 'TRACK-1', updatedAt: '2025-11-20T10:00:04.000Z' });
const products = [
  { sku: 'SKU-TSHIRT', name: 'T-shirt', price: { amount: 1999, currency: 'EUR' }, available: 10 },
  { sku: 'SKU-MUG', name: 'Mug', price: { amount: 999, currency: 'EUR' }, available: 4 },
];

async function startWebBff(env: Record<string, string>): Promise<{ app: INestApplication; url: string }> {
  const config = webBffConfig({ PORT: '0', HOST: '127.0.0.1', NATS_URL: natsServer.url, CALLER_TOKEN_PUBLIC_KEY: CALLERS.keys.env.CALLER_TOKEN_PUBLIC_KEY, ...env });
  const app = await createApp(WebBffModule.forRoot(config, `web-bff-test-${randomUUID()}`), {
    name: 'web-bff-test',
    port: 0,
    host: '127.0.0.1',
    consumesMessages: false,
    callers: CALLERS.verifier,
  });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

describe('web-bff order page', () => {
  let app: INestApplication;
  let url: string;
  let nats: NatsConnection;
  let services: FakeServices;
  const userId = 'alice';

  beforeAll(async () => {
    // No retries and a breaker that does not open: these tests are about one request each. The timeout
    // is well above what a healthy fake service needs on a loaded machine.
    ({ app, url } = await startWebBff({ QUERY_TIMEOUT_MS: '2000', QUERY_RETRY_ATTEMPTS: '1', QUERY_BREAKER_THRESHOLD: '1000' }));
    nats = await connect({ servers: natsServer.url, name: `web-bff-test-responders-${randomUUID()}` });
  }, 30_000);

  beforeEach(() => {
    services = new FakeServices(nats, randomUUID());
  });

  afterEach(() => services.close());

  afterAll(async () => {
    await app?.close();
    await nats?.close();
  });

  const getOrder = (orderId: string, headers: Record<string, string> = { authorization: CALLERS.authorizationFor(userId) }, from = url) =>
    fetch(`${from}/api/web/v1/orders/${orderId}`, { headers: { [HEADERS.requestId]: services.requestId, ...headers } });

  /** Every service answers; individual tests override one of them. */
  const healthyServices = (orderId: string, overrides: Partial<Record<'order' | 'payment' | 'shipment' | 'products', () => QueryReply<never> | 'silence' | undefined>> = {}) =>
    services
      .on(GetOrder, (request) => overrides.order?.() ?? ok(orderView(request.orderId, userId)))
      .on(GetPaymentByOrder, () => overrides.payment?.() ?? ok(payment(orderId)))
      .on(GetShipmentByOrder, () => overrides.shipment?.() ?? ok(shipment(orderId)))
      .on(ListProducts, () => overrides.products?.() ?? ok({ products }))
      .ready();

  it('combines the order with its payment, shipment and products, asking each with the caller’s ids and a deadline', async () => {
    const orderId = randomUUID();
    await healthyServices(orderId);
    const correlationId = `corr-${randomUUID()}`;

    const response = await getOrder(orderId, { authorization: CALLERS.authorizationFor(userId), [HEADERS.correlationId]: correlationId });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      order: orderView(orderId, userId),
      payment: { ...payment(orderId), paymentId: expect.any(String) },
      shipment: { ...shipment(orderId), shipmentId: expect.any(String) },
      products,
      degraded: [],
    });
    const asked = Object.fromEntries(services.asked.map((entry) => [entry.subject, entry]));
    expect(asked[GetOrder.subject].payload).toEqual({ orderId });
    expect(asked[GetPaymentByOrder.subject].payload).toEqual({ orderId });
    expect(asked[GetShipmentByOrder.subject].payload).toEqual({ orderId });
    expect(asked[ListProducts.subject].payload).toEqual({ skus: ['SKU-TSHIRT', 'SKU-MUG'] });
    for (const entry of services.asked) expect(entry.headers).toEqual({ requestId: services.requestId, correlationId, deadline: expect.stringMatching(/^\d+$/), caller: userId });
  });

  it('degrades the payment when its query fails, still answering 200', async () => {
    const orderId = randomUUID();
    await healthyServices(orderId, { payment: () => failed('INTERNAL', 'payment-service is broken') });

    const response = await getOrder(orderId);

    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ payment: null, shipment: { orderId }, products, degraded: ['payment'] });
    expect(body.order).toMatchObject({ orderId });
  });

  it('degrades the parts that do not answer in time', async () => {
    const orderId = randomUUID();
    await healthyServices(orderId, { shipment: () => 'silence', products: () => failed('INTERNAL') });

    const response = await getOrder(orderId);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ payment: { orderId }, shipment: null, products: null, degraded: ['shipment', 'products'] });
  });

  it('shows a payment and shipment that do not exist yet as null, without degrading', async () => {
    const orderId = randomUUID();
    await healthyServices(orderId, { payment: () => failed('NOT_FOUND'), shipment: () => failed('NOT_FOUND') });

    const response = await getOrder(orderId);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ payment: null, shipment: null, products, degraded: [] });
  });

  it('answers 404 for an order that does not exist (or is not the caller’s)', async () => {
    const orderId = randomUUID();
    await healthyServices(orderId, { order: () => failed('NOT_FOUND') });

    const response = await getOrder(orderId);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'ORDER_NOT_FOUND', message: expect.any(String) }, requestId: services.requestId });
  });

  it('answers 503 when the order cannot be read and 504 when it takes too long', async () => {
    const failing = randomUUID();
    await healthyServices(failing, { order: () => failed('INTERNAL') });
    const unavailable = await getOrder(failing);
    expect(unavailable.status).toBe(503);
    expect(((await unavailable.json()) as { error: { code: string } }).error.code).toBe('UPSTREAM_UNAVAILABLE');
    services.close();

    services = new FakeServices(nats, randomUUID());
    const slow = randomUUID();
    await healthyServices(slow, { order: () => 'silence' });
    const timedOut = await getOrder(slow);
    expect(timedOut.status).toBe(504);
    expect(((await timedOut.json()) as { error: { code: string } }).error.code).toBe('UPSTREAM_TIMEOUT');
  });

  it.each([
    ['no caller token', {}],
    ['identity headers only', { 'x-user-id': 'alice', 'x-user-roles': 'customer' }],
    ['a caller token signed with another key', { authorization: new LocalCallerTokens().authorizationFor('alice') }],
  ])('answers 401 and asks nobody with %s', async (_label, headers: Record<string, string>) => {
    const orderId = randomUUID();
    await healthyServices(orderId);
    const response = await getOrder(orderId, headers);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) }, requestId: services.requestId });
    expect(services.asked).toEqual([]);
  });

  it('answers 400 for an order id that is not a UUID', async () => {
    const response = await getOrder('not-an-id');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
  });

  it('is ready while connected to NATS', async () => {
    const response = await fetch(`${url}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ info: { nats: { status: 'up' } } });
  });

  describe('with a circuit breaker per service and the caller’s deadline', () => {
    let guarded: { app: INestApplication; url: string };

    beforeAll(async () => {
      guarded = await startWebBff({ QUERY_TIMEOUT_MS: '10000', QUERY_RETRY_ATTEMPTS: '1', QUERY_BREAKER_THRESHOLD: '2', QUERY_BREAKER_HALF_OPEN_MS: '2000' });
    }, 30_000);

    afterAll(() => guarded?.app.close());

    const breakerState = async (dependency: string): Promise<string | undefined> => {
      const metrics = await (await fetch(`${guarded.url}/metrics`)).text();
      return new RegExp(`^orders_circuit_breaker_state\\{dependency="${dependency}",service="web-bff-test"\\} (\\d)$`, 'm').exec(metrics)?.[1];
    };
    const shipmentQueries = () => services.asked.filter((entry) => entry.subject === GetShipmentByOrder.subject).length;
    const details = async (orderId: string) =>
      (await getOrder(orderId, { authorization: CALLERS.authorizationFor(userId) }, guarded.url)).json() as Promise<Record<string, unknown>>;

    it('opens the circuit of a failing service, then degrades its part without asking it, and closes it after a successful probe', async () => {
      const orderId = randomUUID();
      let shippingBroken = true;
      await healthyServices(orderId, { shipment: () => (shippingBroken ? failed('INTERNAL', 'shipping-service lost its database') : undefined) });

      for (let call = 0; call < 2; call++) expect(await details(orderId)).toMatchObject({ shipment: null, degraded: ['shipment'] });
      expect(await breakerState('shipping-service')).toBe('2');
      expect(await breakerState('order-service')).toBe('0');

      const failedFast = await details(orderId);
      expect(failedFast).toMatchObject({ order: { orderId }, payment: { orderId }, shipment: null, products, degraded: ['shipment'] });
      expect(shipmentQueries()).toBe(2);

      shippingBroken = false;
      const recovered = await waitFor(
        async () => {
          const body = await details(orderId);
          return body.shipment ? body : undefined;
        },
        { timeoutMs: 10_000, description: 'the half-open probe to reach the recovered shipping-service' },
      );
      expect(recovered).toMatchObject({ shipment: { orderId }, degraded: [] });
      expect(await breakerState('shipping-service')).toBe('0');
    });

    it('asks every service with the caller’s deadline when it comes before its own timeout', async () => {
      const orderId = randomUUID();
      await healthyServices(orderId);
      const deadline = String(Date.now() + 5_000);

      const response = await getOrder(orderId, { authorization: CALLERS.authorizationFor(userId), [HEADERS.deadline]: deadline }, guarded.url);

      expect(response.status).toBe(200);
      expect(services.asked.map((entry) => [entry.subject, entry.headers.deadline])).toEqual(
        [GetOrder, GetPaymentByOrder, GetShipmentByOrder, ListProducts].map((query) => [query.subject, deadline]),
      );
    });

    it('answers 504 DEADLINE_EXCEEDED once the caller’s deadline passes, long before its own timeout', async () => {
      const orderId = randomUUID();
      await healthyServices(orderId, { order: () => 'silence' });

      const response = await getOrder(orderId, { authorization: CALLERS.authorizationFor(userId), [HEADERS.deadline]: String(Date.now() + 300) }, guarded.url);

      expect(response.status).toBe(504);
      expect(await response.json()).toEqual({ error: { code: 'DEADLINE_EXCEEDED', message: expect.any(String) }, requestId: services.requestId });
    });

    it('holds a service that stays silent until the caller’s deadline against its circuit, which then opens', async () => {
      const orderId = randomUUID();
      await healthyServices(orderId, { payment: () => 'silence' });
      const paymentQueries = () => services.asked.filter((entry) => entry.subject === GetPaymentByOrder.subject).length;
      // Short, yet long enough for the services that do answer.
      const withShortDeadline = () => getOrder(orderId, { authorization: CALLERS.authorizationFor(userId), [HEADERS.deadline]: String(Date.now() + 1_500) }, guarded.url);

      for (let call = 0; call < 2; call++) expect(await (await withShortDeadline()).json()).toMatchObject({ order: { orderId }, payment: null, degraded: ['payment'] });
      expect(await breakerState('payment-service')).toBe('2');

      expect(await (await withShortDeadline()).json()).toMatchObject({ order: { orderId }, payment: null, degraded: ['payment'] });
      expect(paymentQueries()).toBe(2);
    });

    it('refuses a request whose deadline passed before it arrived, asking nobody', async () => {
      const orderId = randomUUID();
      await healthyServices(orderId);

      const response = await getOrder(orderId, { authorization: CALLERS.authorizationFor(userId), [HEADERS.deadline]: String(Date.now() - 1_000) }, guarded.url);

      expect(response.status).toBe(504);
      expect(await response.json()).toEqual({ error: { code: 'DEADLINE_EXCEEDED', message: expect.stringContaining('deadline passed') }, requestId: services.requestId });
      expect(services.asked).toEqual([]);
    });
  });
});
