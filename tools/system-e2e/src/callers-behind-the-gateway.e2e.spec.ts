import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import { LocalCallerTokens } from '@orders/caller-tokens';
import { GetOrder, ListOrders, QueryReply } from '@orders/contracts';
import { APPS, AppName } from '@orders/local-stack';
import { readFileSync } from 'node:fs';
import { orderOf, platformForSuite } from './support/platform';

/** Where each app behind the gateway serves a customer's order, and the owner's order id in it. */
const ORDER_ROUTES: Array<[AppName, (orderId: string) => string]> = [
  ['order-service', (orderId) => `/internal/orders/${orderId}`],
  ['order-service', () => '/internal/orders'],
  ['web-bff', (orderId) => `/api/web/v1/orders/${orderId}`],
  ['mobile-bff', (orderId) => `/api/mobile/v1/orders/${orderId}`],
  ['mobile-bff', () => '/api/mobile/v1/orders'],
];

/** The local addresses of the sockets listening on `port`, from the kernel's tables (hex, as /proc/net/tcp{,6} hold them). */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
    readFileSync(table, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === '0A' && fields[1]?.endsWith(`:${hexPort}`))
      .map((fields) => fields[1].split(':')[0]),
  );
}

const LOOPBACK = ['0100007F', '00000000000000000000000001000000'];

/**
 * Every app behind the gateway authenticates its caller: a request or query that does not carry a
 * caller token signed by the gateway is refused, whatever identity headers or client token it
 * brings, so reaching an internal port is not enough to read anyone's order. And locally nothing
 * listens beyond the loopback interface.
 */
describe('callers of the apps behind the gateway', () => {
  const platform = platformForSuite();
  let aliceToken: string;
  let orderId: string;

  beforeAll(async () => {
    aliceToken = await platform.login('alice-behind');
    orderId = await platform.place(aliceToken, orderOf([{ sku: 'SKU-MUG', quantity: 1 }]));
  });

  const direct = (app: AppName, path: string, headers: Record<string, string>) => fetch(`${platform.stack.urls[app]}${path}`, { headers });

  it('reads the order through the gateway for its owner only', async () => {
    expect((await platform.api(`/api/v1/orders/${orderId}`, { token: aliceToken })).status).toBe(200);
    expect((await platform.api(`/api/web/v1/orders/${orderId}`, { token: aliceToken })).status).toBe(200);
    expect((await platform.api(`/api/mobile/v1/orders/${orderId}`, { token: await platform.login('mallory-behind') })).status).toBe(404);
  });

  it.each([
    ['forged identity headers', () => ({ 'x-user-id': 'alice-behind', 'x-user-roles': 'customer,ops' })],
    ['the owner’s own access token', () => ({ authorization: `Bearer ${aliceToken}` })],
    ['a caller token signed with a key other than the gateway’s', () => ({ authorization: new LocalCallerTokens().authorizationFor('alice-behind') })],
  ])('refuses every internal order route called directly with %s: 401, nothing shown', async (_label, headers) => {
    for (const [app, path] of ORDER_ROUTES) {
      const response = await direct(app, path(orderId), headers());
      const body = await response.text();
      expect({ app, path: path(orderId), status: response.status }).toEqual({ app, path: path(orderId), status: 401 });
      expect(JSON.parse(body)).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
      expect(body).not.toContain(orderId);
    }
  });

  it('refuses order queries over NATS that do not carry the gateway’s caller token, whatever customer they name', async () => {
    const nats = await connect({ servers: platform.nats.url });
    try {
      const ask = async (subject: string, payload: object, authorization?: string): Promise<QueryReply<unknown>> => {
        const headers = natsHeaders();
        if (authorization) headers.set('authorization', authorization);
        return (await nats.request(subject, JSON.stringify(payload), { timeout: 5_000, headers })).json<QueryReply<unknown>>();
      };
      const unauthenticated = { ok: false, error: { code: 'UNAUTHENTICATED', message: expect.any(String) } };
      expect(await ask(GetOrder.subject, { orderId, customerId: 'alice-behind' })).toEqual(unauthenticated);
      expect(await ask(ListOrders.subject, { limit: 10, customerId: 'alice-behind' })).toEqual(unauthenticated);
      expect(await ask(GetOrder.subject, { orderId }, new LocalCallerTokens().authorizationFor('alice-behind'))).toEqual(unauthenticated);
      expect(await ask(GetOrder.subject, { orderId }, `Bearer ${aliceToken}`)).toEqual(unauthenticated);
    } finally {
      await nats.close();
    }
  });

  it('keeps every app’s listener on the loopback interface', () => {
    for (const app of APPS) {
      const port = Number(new URL(platform.stack.urls[app]).port);
      const addresses = listeningAddresses(port);
      expect({ app, addresses: addresses.length > 0 && addresses.every((address) => LOOPBACK.includes(address)) }).toEqual({ app, addresses: true });
    }
  });
});
