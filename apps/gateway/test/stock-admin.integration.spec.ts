import { connect, NatsConnection } from '@nats-io/transport-node';
import { INestApplication } from '@nestjs/common';
import { VerifiedCaller } from '@orders/caller-tokens';
import { HEADERS, QueryReply, SetAvailable, StockLevelDto } from '@orders/contracts';
import { PrivateNatsServer, startPrivateNatsServer } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { accessToken, forwardedCaller, startGateway } from './gateway-under-test';

process.env.LOG_LEVEL ??= 'fatal';

const STOCK = '/api/v1/admin/inventory';

interface Asked {
  request: unknown;
  caller: VerifiedCaller | null;
  correlationId: string | undefined;
}

describe('gateway admin API for stock levels', () => {
  let nats: PrivateNatsServer;
  let gateway: INestApplication;
  let url: string;
  let inventory: NatsConnection;
  /** What the stand-in for inventory-service was asked, and what it answers next. */
  const asked: Asked[] = [];
  const setAsAsked = ({ sku, available }: { sku: string; available: number }): QueryReply<StockLevelDto> => ({ ok: true, data: { sku, available, reserved: 2, committed: 3 } });
  let answer = setAsAsked;

  const put = (sku: string, body: unknown, roles: string[] | null = ['ops']) => {
    const headers: Record<string, string> = { [HEADERS.requestId]: randomUUID(), 'content-type': 'application/json' };
    if (roles) headers.authorization = `Bearer ${accessToken('operator-1', roles)}`;
    return fetch(`${url}${STOCK}/${sku}`, { method: 'PUT', headers, body: JSON.stringify(body) });
  };

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    inventory = await connect({ servers: nats.url });
    inventory.subscribe(SetAvailable.subject, {
      callback: (_error, message) => {
        const request = message.json<{ sku: string; available: number }>();
        asked.push({
          request,
          caller: forwardedCaller({ authorization: message.headers?.get(HEADERS.authorization) }),
          correlationId: message.headers?.get(HEADERS.correlationId),
        });
        message.respond(JSON.stringify(answer(request)));
      },
    });
    ({ app: gateway, url } = await startGateway(nats.url));
  }, 30_000);

  afterEach(() => {
    asked.length = 0;
    answer = setAsAsked;
  });

  afterAll(async () => {
    await gateway?.close();
    await inventory?.close();
    await nats?.dispose();
  });

  it('asks inventory-service as the operator and answers the stock it reports', async () => {
    const response = await put('SKU-MUG', { available: 250 });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sku: 'SKU-MUG', available: 250, reserved: 2, committed: 3 });
    expect(asked).toEqual([{ request: { sku: 'SKU-MUG', available: 250 }, caller: { userId: 'operator-1', roles: ['ops'] }, correlationId: expect.any(String) }]);
  });

  it('answers 401 without a token and 403 to a customer, asking nothing', async () => {
    expect((await put('SKU-MUG', { available: 1 }, null)).status).toBe(401);
    const customer = await put('SKU-MUG', { available: 1 }, ['customer']);

    expect(customer.status).toBe(403);
    expect(await customer.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'This requires the ops role' }, requestId: expect.any(String) });
    expect(asked).toEqual([]);
  });

  it('answers 400 to a malformed SKU or body, asking nothing', async () => {
    const refused: Array<[string, unknown]> = [
      ['sku-mug', { available: 1 }],
      ['SKU-MUG', { available: -1 }],
      ['SKU-MUG', { available: 1_000_001 }],
      ['SKU-MUG', { available: 1.5 }],
      ['SKU-MUG', { available: '1' }],
      ['SKU-MUG', { available: 1, reserved: 0 }],
      ['SKU-MUG', {}],
      ['SKU-MUG', [1]],
    ];
    for (const [sku, body] of refused) {
      const response = await put(sku, body);
      expect({ sku, body, status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code }).toEqual({
        sku,
        body,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    expect(asked).toEqual([]);
  });

  it('answers 404 SKU_NOT_FOUND when inventory-service knows no such SKU', async () => {
    answer = ({ sku }) => ({ ok: false, error: { code: 'NOT_FOUND', message: `There is no SKU ${sku}` } });

    const response = await put('SKU-NOWHERE', { available: 1 });

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'SKU_NOT_FOUND', message: 'There is no SKU SKU-NOWHERE' }, requestId: expect.any(String) });
  });

  it('answers 503 when inventory-service refuses the operator the gateway let through', async () => {
    answer = () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'Setting stock requires the ops role' } });

    const response = await put('SKU-MUG', { available: 1 });

    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});
