import { INestApplication } from '@nestjs/common';
import { HEADERS } from '@orders/contracts';
import { DeadLetters, NatsConnectionManager, REPLAYED_FROM_HEADER } from '@orders/messaging';
import { PrivateNatsServer, startPrivateNatsServer } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { startGateway } from './gateway-under-test';

process.env.LOG_LEVEL ??= 'fatal';

const ADMIN = '/api/v1/admin/dead-letters';

describe('gateway admin API for dead letters', () => {
  let nats: PrivateNatsServer;
  let gateway: INestApplication;
  let url: string;
  let deadLetters: DeadLetters;
  const tokens: Record<'ops' | 'customer', string> = { ops: '', customer: '' };

  const call = (path: string, options: { method?: string; as?: 'ops' | 'customer' | null } = {}) => {
    const headers: Record<string, string> = { [HEADERS.requestId]: randomUUID() };
    const role = options.as === undefined ? 'ops' : options.as;
    if (role) headers.authorization = `Bearer ${tokens[role]}`;
    return fetch(`${url}${path}`, { method: options.method ?? 'GET', headers });
  };
  let seeded = 0;
  const seed = async (error: string) => {
    const event = { id: randomUUID(), type: 'order.placed', version: 1, data: { orderId: randomUUID() } };
    const id = await deadLetters.record({
      subject: 'order.placed.v1',
      data: new TextEncoder().encode(JSON.stringify(event)),
      stream: 'ORDER',
      // The stream sequence tells dead letters apart: the same one twice would be stored once.
      streamSequence: ++seeded,
      service: 'payment-service',
      consumer: 'payment-service-order-placed',
      error,
      kind: 'exhausted',
      attempts: 8,
      history: [
        { attempt: 7, failedAt: '2025-11-21T10:20:01.000Z', replica: 'payment-service-a:1', error: 'card provider answered 503' },
        { attempt: 8, failedAt: '2025-11-21T10:20:31.000Z', replica: 'payment-service-b:1', error },
      ],
    });
    return { id, event };
  };

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    ({ app: gateway, url } = await startGateway(nats.url, { AUTH_DEV_LOGIN_ENABLED: 'true' }));
    for (const role of ['ops', 'customer'] as const) {
      const login = await fetch(`${url}/api/v1/auth/dev-login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: `${role}-user`, roles: [role] }),
      });
      tokens[role] = ((await login.json()) as { accessToken: string }).accessToken;
    }
    deadLetters = gateway.get(DeadLetters);
  }, 30_000);

  afterAll(async () => {
    await gateway?.close();
    await nats?.dispose();
  });

  it('answers 401 without a token and 403 to a customer, on every route', async () => {
    const { id } = await seed('refused');
    for (const [path, method] of [
      [ADMIN, 'GET'],
      [`${ADMIN}/${id}`, 'GET'],
      [`${ADMIN}/${id}/replay`, 'POST'],
      [`${ADMIN}/${id}/discard`, 'POST'],
    ]) {
      const anonymous = await call(path, { method, as: null });
      expect(anonymous.status).toBe(401);
      const customer = await call(path, { method, as: 'customer' });
      expect(customer.status).toBe(403);
      expect(await customer.json()).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) }, requestId: expect.any(String) });
    }
    expect((await call(`${ADMIN}/${id}`)).status).toBe(200);
  });

  it('lets ops list, inspect and discard a dead letter', async () => {
    const { id, event } = await seed('card provider kept answering 503');

    const list = await call(`${ADMIN}?service=payment-service&limit=100`);
    expect(list.status).toBe(200);
    const page = (await list.json()) as { deadLetters: Array<{ id: number }>; nextAfter: number | null };
    expect(page.deadLetters).toContainEqual(
      expect.objectContaining({
        id,
        subject: 'order.placed.v1',
        consumer: 'payment-service-order-placed',
        error: 'card provider kept answering 503',
        attempts: 8,
        kind: 'exhausted',
      }),
    );
    expect(page.nextAfter).toBeNull();
    expect((await (await call(`${ADMIN}?service=order-service`)).json()) as object).toEqual({ deadLetters: [], nextAfter: null });

    const shown = await call(`${ADMIN}/${id}`);
    expect(shown.status).toBe(200);
    expect(await shown.json()).toMatchObject({
      id,
      service: 'payment-service',
      stream: 'ORDER',
      streamSequence: seeded,
      payload: event,
      payloadEncoding: 'json',
      history: [
        { attempt: 7, failedAt: '2025-11-21T10:20:01.000Z', replica: 'payment-service-a:1', error: 'card provider answered 503' },
        { attempt: 8, failedAt: '2025-11-21T10:20:31.000Z', replica: 'payment-service-b:1', error: 'card provider kept answering 503' },
      ],
    });

    const discarded = await call(`${ADMIN}/${id}/discard`, { method: 'POST' });
    expect(discarded.status).toBe(200);
    expect(await discarded.json()).toEqual({ id, discarded: true });
    expect((await call(`${ADMIN}/${id}`)).status).toBe(404);
    expect((await call(`${ADMIN}/${id}/discard`, { method: 'POST' })).status).toBe(404);
  });

  it('lets ops replay a dead letter to its original subject', async () => {
    const { id, event } = await seed('fixed since');
    const streams = await gateway.get(NatsConnectionManager).jetstreamManager();

    const replay = await call(`${ADMIN}/${id}/replay`, { method: 'POST' });

    expect(replay.status).toBe(200);
    const replayed = (await replay.json()) as { id: number; subject: string; stream: string; sequence: number };
    expect(replayed).toMatchObject({ id, subject: 'order.placed.v1', stream: 'ORDER' });
    const republished = await streams.streams.getMessage('ORDER', { seq: replayed.sequence });
    expect(republished?.json()).toEqual(event);
    expect(republished?.header.get(REPLAYED_FROM_HEADER)).toBe(String(id));
    expect((await call(`${ADMIN}/${id}`)).status).toBe(404);
    expect((await call(`${ADMIN}/${id}/replay`, { method: 'POST' })).status).toBe(404);
  });

  it('answers 404 for an unknown id and 400 for malformed ids and queries', async () => {
    const unknown = await call(`${ADMIN}/999999`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'DEAD_LETTER_NOT_FOUND', message: 'There is no dead letter 999999' }, requestId: expect.any(String) });

    for (const path of [`${ADMIN}/abc`, `${ADMIN}/0`, `${ADMIN}/-1`, `${ADMIN}/1.5/replay`, `${ADMIN}?limit=0`, `${ADMIN}?limit=101`, `${ADMIN}?service=a.b`, `${ADMIN}?after=x`]) {
      const response = await call(path, { method: path.endsWith('replay') ? 'POST' : 'GET' });
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    }
  });
});
