import { happyPath, ORDER, OrderServiceUnderTest } from './order-service.harness';

const OPERATOR = { user: 'admin-sagas-operator', roles: ['ops'] };
const SAGA_TIMEOUT_MS = 5 * 60_000;

describe("operators listing running sagas and a customer's orders over order-service's admin routes", () => {
  let service: OrderServiceUnderTest;

  beforeAll(async () => {
    service = await OrderServiceUnderTest.start({ SAGA_TIMEOUT_MS });
  }, 60_000);

  afterAll(() => service?.stop());

  it('lists the PENDING orders oldest first with their deadline and the step each waits for, a page at a time', async () => {
    const older = await service.placeOrder('admin-sagas-customer-a', 'admin-sagas-1', ORDER);
    const newer = await service.placeOrder('admin-sagas-customer-b', 'admin-sagas-2', ORDER);
    const finished = await service.placeOrder('admin-sagas-customer-a', 'admin-sagas-3', ORDER);
    const { reserved } = happyPath(older.body.orderId);
    await service.publish(reserved);
    await service.processed(reserved);
    const saga = happyPath(finished.body.orderId);
    for (const event of Object.values(saga)) await service.publish(event);
    for (const event of Object.values(saga)) await service.processed(event);
    expect(await service.orderStatus(finished.body.orderId)).toBe('CONFIRMED');

    const all = await service.http('GET', '/internal/admin/sagas', OPERATOR);

    expect(all.status).toBe(200);
    expect(all.body.items.map((saga: { orderId: string }) => saga.orderId)).toEqual([older.body.orderId, newer.body.orderId]);
    const olderView = await service.view(older.body.orderId, 'admin-sagas-customer-a');
    expect(all.body.items[0]).toEqual({
      orderId: older.body.orderId,
      customerId: 'admin-sagas-customer-a',
      placedAt: olderView.createdAt,
      deadline: new Date(Date.parse(olderView.createdAt) + SAGA_TIMEOUT_MS).toISOString(),
      ageMs: expect.any(Number),
      waitingFor: 'PAYMENT_AUTHORIZED',
    });
    expect(all.body.items[0].ageMs).toBeGreaterThanOrEqual(0);
    expect(all.body.items[1]).toMatchObject({ orderId: newer.body.orderId, waitingFor: 'INVENTORY_RESERVED' });
    expect(all.body.nextCursor).toBeNull();

    const first = await service.http('GET', '/internal/admin/sagas?limit=1', OPERATOR);
    expect(first.body.items.map((saga: { orderId: string }) => saga.orderId)).toEqual([older.body.orderId]);
    const second = await service.http('GET', `/internal/admin/sagas?limit=1&cursor=${first.body.nextCursor}`, OPERATOR);
    expect(second.body.items.map((saga: { orderId: string }) => saga.orderId)).toEqual([newer.body.orderId]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('refuses a customer and a page size or cursor out of bounds', async () => {
    const customer = await service.http('GET', '/internal/admin/sagas', { user: 'admin-sagas-customer-a' });
    expect(customer.status).toBe(403);
    expect(customer.body.error.code).toBe('FORBIDDEN');

    for (const query of ['limit=0', 'limit=101', 'limit=ten']) {
      expect([query, (await service.http('GET', `/internal/admin/sagas?${query}`, OPERATOR)).status]).toEqual([query, 400]);
    }
    const forged = await service.http('GET', '/internal/admin/sagas?cursor=forged', OPERATOR);
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe('INVALID_CURSOR');
  });

  it("lists a customer's orders newest first, whatever their status, for an operator only", async () => {
    const first = await service.placeOrder('admin-sagas-searched', 'admin-sagas-4', ORDER);
    const second = await service.placeOrder('admin-sagas-searched', 'admin-sagas-5', ORDER);
    await service.placeOrder('admin-sagas-someone-else', 'admin-sagas-6', ORDER);

    const found = await service.http('GET', '/internal/admin/orders?customerId=admin-sagas-searched', OPERATOR);

    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      items: [await service.view(second.body.orderId, 'admin-sagas-searched'), await service.view(first.body.orderId, 'admin-sagas-searched')],
      nextCursor: null,
    });
    const paged = await service.http('GET', '/internal/admin/orders?customerId=admin-sagas-searched&limit=1', OPERATOR);
    expect(paged.body.items.map((order: { orderId: string }) => order.orderId)).toEqual([second.body.orderId]);
    expect(paged.body.nextCursor).toEqual(expect.any(String));

    expect((await service.http('GET', '/internal/admin/orders?customerId=admin-sagas-searched', { user: 'admin-sagas-searched' })).status).toBe(403);
    expect((await service.http('GET', '/internal/admin/orders', OPERATOR)).status).toBe(400);
    expect((await service.http('GET', '/internal/admin/orders?customerId=', OPERATOR)).status).toBe(400);
  });
});
