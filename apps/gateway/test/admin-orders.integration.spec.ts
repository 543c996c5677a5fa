import { privateNatsServerForSuite } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { FakeUpstream, json } from './fake-upstream';
import { accessToken, forwardedCaller, GatewayUnderTest, startGateway } from './gateway-under-test';

process.env.LOG_LEVEL ??= 'fatal';
const natsServer = privateNatsServerForSuite();

const operator = () => ({ authorization: `Bearer ${accessToken('operator', ['ops'])}` });

describe('the admin read of any order', () => {
  const upstream = new FakeUpstream();
  let gateway: GatewayUnderTest;

  const read = (orderId: string, token: string) => fetch(`${gateway.url}/api/v1/admin/orders/${orderId}`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    gateway = await startGateway(natsServer.url, { ORDER_SERVICE_URL: await upstream.start() });
  });

  afterEach(() => upstream.reset());

  afterAll(async () => {
    await gateway?.app.close();
    await upstream.stop();
  });

  it("forwards an operator's read to order-service's admin route as that operator, relaying the answer", async () => {
    const orderId = randomUUID();
    const order = { orderId, customerId: 'alice', status: 'PENDING', timeline: [] };
    upstream.answer = (_request, response) => json(response, 200, order);

    const response = await read(orderId, accessToken('operator', ['ops']));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(order);
    expect(upstream.received).toHaveLength(1);
    expect(upstream.received[0]).toMatchObject({ method: 'GET', url: `/internal/admin/orders/${orderId}` });
    expect(forwardedCaller(upstream.received[0].headers)).toEqual({ userId: 'operator', roles: ['ops'] });
  });

  it("refuses a customer's read with 403 and an id that is not a UUID with 400, forwarding neither", async () => {
    expect((await read(randomUUID(), accessToken('alice'))).status).toBe(403);
    expect((await read('..%2F..%2Fhealth', accessToken('operator', ['ops']))).status).toBe(400);
    expect(upstream.received).toHaveLength(0);
  });

  it("forwards an operator's search for a customer's orders with its query string, relaying the page", async () => {
    const page = { items: [{ orderId: randomUUID(), customerId: 'alice', status: 'CONFIRMED', timeline: [] }], nextCursor: null };
    upstream.answer = (_request, response) => json(response, 200, page);

    const response = await fetch(`${gateway.url}/api/v1/admin/orders?customerId=alice%20smith&limit=5`, { headers: operator() });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(page);
    expect(upstream.received).toHaveLength(1);
    expect(upstream.received[0]).toMatchObject({ method: 'GET', url: '/internal/admin/orders?customerId=alice%20smith&limit=5' });
    expect(forwardedCaller(upstream.received[0].headers)).toEqual({ userId: 'operator', roles: ['ops'] });
  });

  it("forwards an operator's list of the running sagas with its query string, relaying the page", async () => {
    const page = {
      items: [
        { orderId: randomUUID(), customerId: 'alice', placedAt: '2026-12-07T10:00:00.000Z', ageMs: 1000, deadline: '2026-12-07T10:05:00.000Z', waitingFor: 'INVENTORY_RESERVED' },
      ],
      nextCursor: 'next',
    };
    upstream.answer = (_request, response) => json(response, 200, page);

    const response = await fetch(`${gateway.url}/api/v1/admin/sagas?limit=1&cursor=abc`, { headers: operator() });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(page);
    expect(upstream.received[0]).toMatchObject({ method: 'GET', url: '/internal/admin/sagas?limit=1&cursor=abc' });
    expect(forwardedCaller(upstream.received[0].headers)).toEqual({ userId: 'operator', roles: ['ops'] });
  });

  it("refuses a customer's search and list of sagas with 403, forwarding neither", async () => {
    const customer = { authorization: `Bearer ${accessToken('alice')}` };
    expect((await fetch(`${gateway.url}/api/v1/admin/orders?customerId=bob`, { headers: customer })).status).toBe(403);
    expect((await fetch(`${gateway.url}/api/v1/admin/sagas`, { headers: customer })).status).toBe(403);
    expect(upstream.received).toHaveLength(0);
  });
});
