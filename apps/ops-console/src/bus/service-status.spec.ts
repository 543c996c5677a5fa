import type { ReplicaState } from '../api';
import { formatBreaker, formatOutbox, needsAttention } from './service-status';

const healthy: ReplicaState = { replica: 'payment-service-1:7', ready: true, reasons: [], outbox: { rows: 0, oldestAgeSeconds: 0 }, breakers: [] };

describe('a replica as the bus page shows it', () => {
  it('says how long an open breaker has before its trial call, and just the state otherwise', () => {
    expect(formatBreaker({ dependency: 'payment-provider', state: 'open', halfOpenInMs: 6_200 })).toBe('payment-provider: open, trial call in 6.2 s');
    expect(formatBreaker({ dependency: 'payment-provider', state: 'open', halfOpenInMs: null })).toBe('payment-provider: open');
    expect(formatBreaker({ dependency: 'carrier', state: 'half-open', halfOpenInMs: null })).toBe('carrier: half-open');
    expect(formatBreaker({ dependency: 'carrier', state: 'closed', halfOpenInMs: null })).toBe('carrier: closed');
  });

  it('shows the outbox backlog with the age of its oldest row', () => {
    expect(formatOutbox({ rows: 0, oldestAgeSeconds: 0 })).toBe('empty');
    expect(formatOutbox({ rows: 12, oldestAgeSeconds: 95.4 })).toBe('12 unpublished, oldest 1 min 35 s old');
    expect(formatOutbox(null)).toBe('unknown');
  });

  it('singles out a replica that is not ready, whose outbox is stuck or unknown, or whose breaker is not closed', () => {
    expect(needsAttention(healthy)).toBe(false);
    expect(needsAttention({ ...healthy, outbox: { rows: 3, oldestAgeSeconds: 2 } })).toBe(false);
    expect(needsAttention({ ...healthy, breakers: [{ dependency: 'carrier', state: 'closed', halfOpenInMs: null }] })).toBe(false);
    expect(needsAttention({ ...healthy, ready: false, reasons: ['database: down'] })).toBe(true);
    expect(needsAttention({ ...healthy, outbox: { rows: 3, oldestAgeSeconds: 61 } })).toBe(true);
    expect(needsAttention({ ...healthy, outbox: null })).toBe(true);
    expect(needsAttention({ ...healthy, breakers: [{ dependency: 'carrier', state: 'half-open', halfOpenInMs: null }] })).toBe(true);
  });
});
