import { BusReport, deliveryProblems, formatReport, ratiosOf, TransportRun } from './report';
import type { Mode } from './options';
import type { TransportLetter } from './transports';

function run(letter: TransportLetter, eventsPerSecond: number, p99?: number, mode: Mode = p99 === undefined ? 'drain' : 'concurrent'): TransportRun {
  return {
    key: letter,
    letter,
    label: `(${letter}) transport`,
    mode,
    eventBytes: 289,
    throughput: { events: 1_000, seconds: 1_000 / eventsPerSecond, eventsPerSecond, publishSeconds: 0.1, timed: 'first publish to last handled' },
    ...(p99 === undefined ? {} : { latency: { count: 100, p50: 1, p95: 2, p99, max: p99 * 2, ratePerSecond: 100, seconds: 1, achievedRatePerSecond: 100 } }),
    delivery: { published: 1_100, handled: 1_100, distinct: 1_100 },
  };
}

describe('ratiosOf', () => {
  it('compares ours with each other transport and with the best JetStream peer', () => {
    expect(ratiosOf([run('a', 6_000, 3), run('b', 4_000, 12), run('c', 30_000, 1.5)])).toEqual({
      eventsPerSecond: { 'a/b': 1.5, 'a/best JetStream peer': 1.5, 'a/c': 0.2 },
      p99: { 'a/b': 0.25, 'a/best JetStream peer': 0.25, 'a/c': 2 },
      bestJetStreamPeer: { eventsPerSecond: 'b', p99: 'b' },
    });
  });

  it('leaves out pairs that did not run, and p99 in a drain', () => {
    const ratios = ratiosOf([run('a', 6_000), run('c', 30_000)]);
    expect(ratios).toEqual({ eventsPerSecond: { 'a/c': 0.2 }, p99: {}, bestJetStreamPeer: {} });
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
  const machine = { date: '2025-11-21T23:00:00.000Z', cpu: 'Test CPU', cores: 2, memoryGiB: 8, node: 'v26.12.1', natsServer: 'nats-server: v2.10.0' };
  const parameters = {
    events: 1_000,
    warmup: 100,
    rate: 100,
    seconds: 1,
    window: 64,
    transports: ['ours' as const, 'plugin' as const],
    event: 'inventory.committed v1',
    stream: { name: 'INVENTORY' },
  };
  const transports = (['a', 'b'] as const).map((letter) => ({ key: letter, letter, label: `(${letter}) transport`, notes: `notes of ${letter}` }));

  it('prints the machine, a table per mode with its ratios, and every transport once', () => {
    const drain = [run('a', 5_000), run('b', 10_000)];
    const concurrent = [run('a', 6_000, 3), run('b', 4_000, 12)];
    const report: BusReport = {
      machine,
      parameters: { ...parameters, modes: ['drain', 'concurrent'] },
      transports,
      runs: { drain, concurrent },
      ratios: { drain: ratiosOf(drain), concurrent: ratiosOf(concurrent) },
    };
    const text = formatReport(report);
    expect(text).toContain('2025-11-21T23:00:00.000Z');
    expect(text).toContain('Test CPU, 2 cores');
    expect(text).toContain('nats-server: v2.10.0');
    expect(text).toMatch(/\(a\) transport\s+5000\s+0\.200\s+0\.100/);
    expect(text).toMatch(/\(a\) transport\s+6000\s+1\.0\s+2\.0\s+3\.0\s+6\.0/);
    expect(text).toContain('a/b: events/s 0.5x\n');
    expect(text).toContain('a/b: events/s 1.5x, p99 0.25x');
    expect(text).toContain('a/best JetStream peer (b; p99 against b): events/s 1.5x, p99 0.25x');
    expect(text.match(/notes of a/g)).toHaveLength(1);
    expect(text).not.toContain('a/c');
  });

  it('prints only the modes that ran', () => {
    const concurrent = [run('a', 6_000, 3)];
    const report: BusReport = { machine, parameters: { ...parameters, modes: ['concurrent'] }, transports, runs: { concurrent }, ratios: { concurrent: ratiosOf(concurrent) } };
    expect(formatReport(report)).not.toContain('Drain:');
  });
});
