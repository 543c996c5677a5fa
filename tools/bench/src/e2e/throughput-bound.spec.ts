import { throughputBound } from './throughput-bound';

const cost = { commits: 30, writeTransactions: 20, inboxRows: 12, eventsPublished: 7, deliveries: 13 };

describe('orders/s bound from the machine limits', () => {
  it('divides each limit by what an order costs and takes the lower', () => {
    expect(throughputBound({ postgresCommitsPerSecond: 2000, jetStreamMessagesPerSecond: 26_000 }, cost)).toEqual({
      postgresOrdersPerSecond: 100,
      jetStreamOrdersPerSecond: 2000,
      ordersPerSecond: 100,
      limitedBy: 'postgres',
    });
    expect(throughputBound({ postgresCommitsPerSecond: 100_000, jetStreamMessagesPerSecond: 1300 }, cost)).toMatchObject({ ordersPerSecond: 100, limitedBy: 'jetstream' });
  });

  it('refuses a cost without writes or deliveries, which would mean nothing was measured', () => {
    expect(() => throughputBound({ postgresCommitsPerSecond: 1, jetStreamMessagesPerSecond: 1 }, { ...cost, writeTransactions: 0 })).toThrow(/must cost/);
  });
});
