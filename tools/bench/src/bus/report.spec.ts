import { BusReport, deliveryProblems, formatReport, ratiosOf, TransportResult } from './report';

function result(letter: 'a' | 'b' | 'c', eventsPerSecond: number, p99: number): TransportResult {
  return {
    key: letter,
    letter,
    label: `(${letter}) transport`,
    notes: 'notes',
    eventBytes: 289,
    throughput: { events: 1_000, seconds: 1_000 / eventsPerSecond, eventsPerSecond, publishSeconds: 0.1 },
    latency: { count: 100, p50: 1, p95: 2, p99, max: p99 * 2, ratePerSecond: 100, seconds: 1, achievedRatePerSecond: 100 },
    delivery: { published: 1_100, handled: 1_100, distinct: 1_100 },
  };
}

describe('ratiosOf', () => {
  it('compares ours with each other transport', () => {
    expect(ratiosOf([result('a', 6_000, 3), result('b', 4_000, 12), result('c', 30_000, 1.5)])).toEqual({
      eventsPerSecond: { 'a/b': 1.5, 'a/c': 0.2 },
      p99: { 'a/b': 0.25, 'a/c': 2 },
    });
  });

  it('leaves out pairs that did not run', () => {
    expect(ratiosOf([result('a', 6_000, 3), result('c', 30_000, 1.5)]).eventsPerSecond).toEqual({ 'a/c': 0.2 });
  });
});

describe('deliveryProblems', () => {
  const complete = { published: 100, handled: 100, distinct: 100, stored: 100, unacked: 0, undelivered: 0, redelivered: 0 };

  it('finds nothing wrong with a complete JetStream delivery', () => {
    expect(deliveryProblems(complete, true)).toEqual([]);
  });

  it('reports lost, duplicated, unstored and unacked events', () => {
    expect(deliveryProblems({ ...complete, handled: 101, distinct: 98, stored: 99, unacked: 2 }, true)).toEqual([
      '2 of 100 events were never handled',
      '3 events were handled more than once',
      'the stream holds 99 messages, 100 were published',
      '2 messages are delivered but not acked',
    ]);
  });

  it('checks core NATS for losses only', () => {
    expect(deliveryProblems({ published: 100, handled: 100, distinct: 100 }, false)).toEqual([]);
    expect(deliveryProblems({ published: 100, handled: 99, distinct: 99 }, false)).toEqual(['1 of 100 events were never handled']);
  });
});

describe('formatReport', () => {
  it('prints the machine, one row per transport and the ratios', () => {
    const results = [result('a', 6_000, 3), result('b', 4_000, 12)];
    const report: BusReport = {
      machine: { date: '2025-11-21T23:00:00.000Z', cpu: 'Test CPU', cores: 2, memoryGiB: 8, node: 'v20.19.0', natsServer: 'nats-server: v2.10.0' },
      parameters: { events: 1_000, warmup: 100, rate: 100, seconds: 1, window: 64, transports: ['ours', 'plugin'], event: 'inventory.committed v1', stream: { name: 'INVENTORY' } },
      results,
      ratios: ratiosOf(results),
    };
    const text = formatReport(report);
    expect(text).toContain('2025-11-21T23:00:00.000Z');
    expect(text).toContain('Test CPU, 2 cores');
    expect(text).toContain('nats-server: v2.10.0');
    expect(text).toMatch(/\(a\) transport\s+6000\s+1\.0\s+2\.0\s+3\.0\s+6\.0/);
    expect(text).toContain('a/b: events/s 1.5x, p99 0.25x');
    expect(text).not.toContain('a/c');
  });
});
