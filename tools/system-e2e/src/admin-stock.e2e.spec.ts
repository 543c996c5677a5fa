import { withPostgres } from '@orders/local-processes';
import { orderOf, platformForSuite } from './support/platform';

const STOCK = '/api/v1/admin/inventory';

interface StockLevel {
  sku: string;
  available: number;
  reserved: number;
  committed: number;
}

/**
 * Operators setting stock through the gateway, end to end: inventory-service keeps the count,
 * checks the role again, records every change and publishes it; orders see the new count.
 */
describe('operators set stock through the gateway, end to end', () => {
  const platform = platformForSuite();

  const setAvailable = (token: string, sku: string, body: unknown) =>
    platform.api<StockLevel & { error?: { code: string } }>(`${STOCK}/${sku}`, { method: 'PUT', token, body: JSON.stringify(body) });

  /** Adjustments recorded and published for a SKU: the evidence that a request changed something. */
  const adjustmentsOf = (sku: string) =>
    withPostgres(platform.stack.databaseUrls.inventory, async (client) => ({
      recorded: (await client.query(`SELECT previous_available, available, adjusted_by FROM stock_adjustments WHERE sku = $1 ORDER BY adjusted_at`, [sku])).rows,
      published: (
        await client.query(`SELECT payload -> 'data' AS data FROM outbox WHERE payload ->> 'type' = 'inventory.stock-adjusted' AND payload -> 'data' ->> 'sku' = $1 ORDER BY seq`, [
          sku,
        ])
      ).rows.map((row: { data: unknown }) => row.data),
    }));

  it('lets ops set how many units are for sale, which the catalogue and the next orders see, without touching sold units', async () => {
    const ops = await platform.login('admin-stock-ops', ['ops']);
    const customer = await platform.login('admin-stock-customer');

    const set = await setAvailable(ops, 'SKU-LIMITED', { available: 2 });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ sku: 'SKU-LIMITED', available: 2, reserved: 0, committed: 0 });
    const catalogue = await platform.api<{ products: Array<{ sku: string; available: number }> }>('/api/v1/products', { token: customer });
    expect(catalogue.body.products).toContainEqual(expect.objectContaining({ sku: 'SKU-LIMITED', available: 2 }));

    const sold = await platform.place(customer, orderOf([{ sku: 'SKU-LIMITED', quantity: 2 }]));
    expect((await platform.settled(customer, sold)).status).toBe('CONFIRMED');
    const refused = await platform.place(customer, orderOf([{ sku: 'SKU-LIMITED', quantity: 1 }]));
    expect(await platform.settled(customer, refused)).toMatchObject({ status: 'CANCELLED', cancellationReason: 'OUT_OF_STOCK' });

    const restocked = await setAvailable(ops, 'SKU-LIMITED', { available: 10 });
    expect(restocked.body).toEqual({ sku: 'SKU-LIMITED', available: 10, reserved: 0, committed: 2 });
    expect((await platform.stock()).get('SKU-LIMITED')).toEqual({ available: 10, reserved: 0, committed: 2 });
    expect(await adjustmentsOf('SKU-LIMITED')).toEqual({
      recorded: [
        { previous_available: 5, available: 2, adjusted_by: 'admin-stock-ops' },
        { previous_available: 0, available: 10, adjusted_by: 'admin-stock-ops' },
      ],
      published: [
        { adjustmentId: expect.any(String), sku: 'SKU-LIMITED', previousAvailable: 5, available: 2, adjustedBy: 'admin-stock-ops' },
        { adjustmentId: expect.any(String), sku: 'SKU-LIMITED', previousAvailable: 0, available: 10, adjustedBy: 'admin-stock-ops' },
      ],
    });
  });

  it('changes, records and publishes nothing when the same PUT is repeated', async () => {
    const ops = await platform.login('admin-stock-repeat', ['ops']);

    const first = await setAvailable(ops, 'SKU-HOODIE', { available: 321 });
    const again = await setAvailable(ops, 'SKU-HOODIE', { available: 321 });

    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    const { recorded, published } = await adjustmentsOf('SKU-HOODIE');
    expect({ recorded: recorded.length, published: published.length }).toEqual({ recorded: 1, published: 1 });
  });

  it('answers 403 to a customer, 404 for an unknown SKU and 400 to an invalid body, changing nothing', async () => {
    const ops = await platform.login('admin-stock-refusals', ['ops']);
    const customer = await platform.login('admin-stock-refused-customer');
    const before = (await platform.stock()).get('SKU-MUG');

    const forbidden = await setAvailable(customer, 'SKU-MUG', { available: 1 });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error?.code).toBe('FORBIDDEN');
    const unknown = await setAvailable(ops, 'SKU-UNKNOWN', { available: 1 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('SKU_NOT_FOUND');
    for (const body of [{}, { available: -1 }, { available: 1_000_001 }, { available: 0.5 }, { available: '3' }, { available: 3, reserved: 0 }, [3]]) {
      const invalid = await setAvailable(ops, 'SKU-MUG', body);
      expect({ body, status: invalid.status, code: invalid.body.error?.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
    }

    expect((await platform.stock()).get('SKU-MUG')).toEqual(before);
    expect(await adjustmentsOf('SKU-MUG')).toEqual({ recorded: [], published: [] });
  });
});
