import { ORDER, OrderServiceUnderTest } from './order-service.harness';

describe("operators reading any customer's order over order-service's admin route", () => {
  let service: OrderServiceUnderTest;

  beforeAll(async () => {
    service = await OrderServiceUnderTest.start();
  }, 60_000);

  afterAll(() => service?.stop());

  it('answers an operator with the order as its customer sees it, timeline included', async () => {
    const placed = await service.placeOrder('admin-read-customer', 'admin-read-1', ORDER);
    expect(placed.status).toBe(202);

    const answer = await service.http('GET', `/internal/admin/orders/${placed.body.orderId}`, { user: 'admin-read-operator', roles: ['ops'] });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(await service.view(placed.body.orderId, 'admin-read-customer'));
    expect(answer.body).toMatchObject({ orderId: placed.body.orderId, customerId: 'admin-read-customer', status: 'PENDING', items: ORDER.items });
  });

  it('refuses a customer, even for their own order, and answers 404 for an order that does not exist', async () => {
    const placed = await service.placeOrder('admin-read-owner', 'admin-read-2', ORDER);

    const customer = await service.http('GET', `/internal/admin/orders/${placed.body.orderId}`, { user: 'admin-read-owner' });
    expect(customer.status).toBe(403);
    expect(customer.body.error.code).toBe('FORBIDDEN');

    const missing = await service.http('GET', `/internal/admin/orders/${crypto.randomUUID()}`, { user: 'admin-read-operator', roles: ['ops'] });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ORDER_NOT_FOUND');
    const malformed = await service.http('GET', '/internal/admin/orders/not-an-id', { user: 'admin-read-operator', roles: ['ops'] });
    expect(malformed.status).toBe(404);
  });
});
