import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { placeOrders } from './order-load';

describe('placeOrders', () => {
  let server: Server;
  let url: string;
  const received: IncomingMessage[] = [];

  beforeAll(async () => {
    // Every third order is refused, as a gateway shedding load would.
    server = createServer((request, response) => {
      received.push(request);
      request.resume();
      request.on('end', () => {
        if (received.length % 3 === 0) response.writeHead(503).end('{}');
        else response.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ orderId: randomUUID() }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('offers rate × duration orders, each a new idempotency key, customers in turn, and sorts the answers', async () => {
    const result = await placeOrders({ gatewayUrl: url, tokens: ['a', 'b'], body: { items: [] }, durationSeconds: 0.5, ratePerSecond: 30, connections: 4 });

    expect(result.requests).toBe(15);
    expect(received).toHaveLength(15);
    expect(new Set(received.map((request) => request.headers['idempotency-key'])).size).toBe(15);
    expect(received.map((request) => request.headers.authorization).slice(0, 3)).toEqual(['Bearer a', 'Bearer b', 'Bearer a']);
    expect(received.every((request) => request.method === 'POST' && request.url === '/api/v1/orders')).toBe(true);
    expect(result.accepted.size).toBe(10);
    expect(result.rejected).toEqual({ 503: 5 });
    expect(result.placement.count).toBe(15);
  });
});
