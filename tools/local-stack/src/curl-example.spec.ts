import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { curlExample } from './curl-example';

interface RecordedRequest {
  method?: string;
  url?: string;
  authorization?: string;
  idempotencyKey?: string;
  body: unknown;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text ? JSON.parse(text) : undefined;
}

/** Answers the three calls of the example the way the gateway's API does. */
function gatewayStandIn(recorded: RecordedRequest[]): Server {
  return createServer(async (request, response) => {
    recorded.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.authorization,
      idempotencyKey: request.headers['idempotency-key'] as string | undefined,
      body: await readJson(request),
    });
    const answers: Record<string, [number, unknown]> = {
      'POST /api/v1/auth/dev-login': [200, { accessToken: 'token-for-alice' }],
      'POST /api/v1/orders': [202, { orderId: 'order-1', status: 'PENDING' }],
      'GET /api/v1/orders/order-1': [200, { orderId: 'order-1', status: 'CONFIRMED' }],
    };
    const [status, body] = answers[`${request.method} ${request.url}`] ?? [404, { error: 'not found' }];
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
}

describe('curlExample', () => {
  it('is a shell snippet that logs in, places an order and reads it back', async () => {
    const recorded: RecordedRequest[] = [];
    const gateway = gatewayStandIn(recorded).listen(0, '127.0.0.1');
    await once(gateway, 'listening');
    try {
      const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
      const { stdout } = await promisify(execFile)('/bin/sh', ['-c', `set -e\n${curlExample(url)}`]);

      expect(JSON.parse(stdout)).toEqual({ orderId: 'order-1', status: 'CONFIRMED' });
      expect(recorded.map((request) => `${request.method} ${request.url}`)).toEqual(['POST /api/v1/auth/dev-login', 'POST /api/v1/orders', 'GET /api/v1/orders/order-1']);
      const [login, order, read] = recorded;
      expect(login.body).toEqual({ userId: 'alice', roles: ['customer'] });
      expect(order.authorization).toBe('Bearer token-for-alice');
      expect(order.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/i);
      expect(order.body).toEqual({
        items: [{ sku: 'SKU-TSHIRT', quantity: 1 }],
        shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
        payment: { token: 'tok_visa' },
      });
      expect(read.authorization).toBe('Bearer token-for-alice');
    } finally {
      gateway.close();
    }
  });
});
