import { isWorthRetrying, retryDelayMs } from './retrying-client';

describe('chaos client retries', () => {
  it('sends a request again only when the answer did not tell what happened, or said later', () => {
    expect([200, 202, 400, 404, 409, 422].filter(isWorthRetrying)).toEqual([]);
    expect([408, 429, 500, 502, 503, 504].every(isWorthRetrying)).toBe(true);
  });

  it('backs off exponentially with jitter, capped, and never sooner than Retry-After', () => {
    const highest = () => 0.999_999;
    expect(retryDelayMs(1, null, highest)).toBe(200);
    expect(retryDelayMs(3, null, highest)).toBe(800);
    expect(retryDelayMs(20, null, highest)).toBe(3_000);
    expect(retryDelayMs(1, null, () => 0)).toBe(0);
    expect(retryDelayMs(1, '2', () => 0)).toBe(2_000);
    expect(retryDelayMs(1, 'soon', () => 0)).toBe(0);
  });
});
