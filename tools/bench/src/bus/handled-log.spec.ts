import { randomUUID } from 'node:crypto';
import { HandledLog } from './handled-log';
import { toPreciseIso } from '../measure/precise-time';

const PUBLISHED_AT = 1_763_766_000_000;

function event(id = randomUUID()) {
  return { id, occurredAt: toPreciseIso(PUBLISHED_AT) };
}

describe('HandledLog', () => {
  it('counts redeliveries as handled but not as distinct events', () => {
    const log = new HandledLog();
    const once = event();
    log.record(once, PUBLISHED_AT + 1);
    log.record(once, PUBLISHED_AT + 2);
    log.record(event(), PUBLISHED_AT + 3);
    expect(log.report().total).toEqual({ handled: 3, distinct: 2 });
  });

  it('measures latency from the stamped publish time and keeps it per phase', () => {
    const log = new HandledLog();
    log.record(event(), PUBLISHED_AT + 50);
    log.startPhase();
    for (let index = 0; index < 100; index += 1) log.record(event(), PUBLISHED_AT + (index < 99 ? 2 : 40));

    const { phase, total } = log.report();
    expect(phase.handled).toBe(100);
    expect(phase.lastHandledAt).toBe(PUBLISHED_AT + 40);
    expect(phase.latency).toMatchObject({ count: 100, p50: 2, p95: 2, max: 40 });
    expect(total.handled).toBe(101);
  });

  it('marks when the phase reached a count, so a drain can be timed after its warm-up', () => {
    const log = new HandledLog(2);
    for (let index = 1; index <= 5; index += 1) log.record(event(), PUBLISHED_AT + index * 10);
    expect(log.report().phase).toMatchObject({ handled: 5, markedAt: PUBLISHED_AT + 20, lastHandledAt: PUBLISHED_AT + 50 });
    log.startPhase();
    log.record(event(), PUBLISHED_AT + 60);
    expect(log.report().phase.markedAt).toBeUndefined();
  });
});
