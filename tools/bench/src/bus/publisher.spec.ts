import { decodeEnvelope } from '@orders/contracts';
import { BENCH_EVENT, EventSource, eventsDue } from './publisher';

describe('EventSource', () => {
  it('publishes valid catalogue envelopes with a fresh id each', () => {
    const source = new EventSource();
    const [first, second] = [source.next(), source.next()].map((bytes) => BENCH_EVENT.parse(decodeEnvelope(bytes)));
    expect(first.id).not.toBe(second.id);
  });

  it('frames the envelope for transports that need it', () => {
    const framed = JSON.parse(new TextDecoder().decode(new EventSource((envelope) => ({ pattern: 'p', data: envelope })).next()));
    expect(framed.pattern).toBe('p');
    expect(() => BENCH_EVENT.parse(framed.data)).not.toThrow();
  });
});

describe('eventsDue', () => {
  it('spreads the events evenly over the run and never exceeds the total', () => {
    expect(eventsDue(0, 1_000, 10_000)).toBe(1);
    expect(eventsDue(2.5, 1_000, 10_000)).toBe(3);
    expect(eventsDue(500, 200, 2_000)).toBe(101);
    expect(eventsDue(60_000, 1_000, 10_000)).toBe(10_000);
  });
});
