import { randomUUID } from 'node:crypto';

/** What the benches order: one line of the SKU whose stock they raise before placing. */
export const BENCH_ORDER = {
  items: [{ sku: 'SKU-STICKERS', quantity: 1 }],
  shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
  payment: { token: 'tok_visa' },
};

/** A customer's access token from the gateway's dev login (the local stack enables it). */
export async function customerToken(gatewayUrl: string, userId: string): Promise<string> {
  const response = await fetch(`${gatewayUrl}/api/v1/auth/dev-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, roles: ['customer'] }),
  });
  if (response.status !== 200) throw new Error(`dev-login answered ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** Places BENCH_ORDER as the token's customer under a new Idempotency-Key; answers the order id. */
export async function placeOrder(gatewayUrl: string, token: string): Promise<string> {
  const response = await fetch(`${gatewayUrl}/api/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
    body: JSON.stringify(BENCH_ORDER),
  });
  if (response.status !== 202) throw new Error(`Placing an order answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { orderId: string }).orderId;
}
