import { DEFAULT_CONSUMER_OPTIONS, pullOptions, retryDelay } from './consumer-options';

describe('pullOptions', () => {
  it('pulls a few handler turns ahead on the normal lane, refilling when one turn is left, never more than the server lets be unacked', () => {
    expect(pullOptions(DEFAULT_CONSUMER_OPTIONS)).toEqual({ max_messages: 64, threshold_messages: 16, expires: 5_000 });
    expect(pullOptions({ ...DEFAULT_CONSUMER_OPTIONS, maxAckPending: 20 })).toEqual({ max_messages: 20, threshold_messages: 10, expires: 5_000 });
  });

  it('pulls only what the handlers can take on the compensation lane', () => {
    expect(pullOptions({ ...DEFAULT_CONSUMER_OPTIONS, lane: 'compensation' })).toEqual({ max_messages: 16, expires: 5_000 });
  });
});

const longest = () => 1;

describe('retryDelay', () => {
  it('backs off from the retry base, doubling per attempt', () => {
    expect(retryDelay(1, DEFAULT_CONSUMER_OPTIONS, { waiting: false }, longest)).toBe(DEFAULT_CONSUMER_OPTIONS.retryBaseDelayMs);
    expect(retryDelay(3, DEFAULT_CONSUMER_OPTIONS, { waiting: false }, longest)).toBe(4 * DEFAULT_CONSUMER_OPTIONS.retryBaseDelayMs);
  });

  it('starts from the shorter base while the message waits for a preceding event', () => {
    expect(DEFAULT_CONSUMER_OPTIONS.precedingEventRetryBaseDelayMs).toBeLessThan(DEFAULT_CONSUMER_OPTIONS.retryBaseDelayMs);
    expect(retryDelay(1, DEFAULT_CONSUMER_OPTIONS, { waiting: true }, longest)).toBe(DEFAULT_CONSUMER_OPTIONS.precedingEventRetryBaseDelayMs);
    expect(retryDelay(2, DEFAULT_CONSUMER_OPTIONS, { waiting: true }, longest)).toBe(2 * DEFAULT_CONSUMER_OPTIONS.precedingEventRetryBaseDelayMs);
  });

  it('waits as long as the failing side asked, within the longest delay', () => {
    expect(retryDelay(1, DEFAULT_CONSUMER_OPTIONS, { waiting: true, requestedMs: 2_000 }, longest)).toBe(2_000);
    expect(retryDelay(1, DEFAULT_CONSUMER_OPTIONS, { waiting: false, requestedMs: 10 * 60_000 }, longest)).toBe(DEFAULT_CONSUMER_OPTIONS.retryMaxDelayMs);
  });
});
