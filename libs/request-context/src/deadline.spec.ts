import { Deadline } from './deadline';

describe('Deadline', () => {
  const now = 1_763_683_200_000;

  it('is an absolute time that round-trips through its header', () => {
    const deadline = Deadline.after(1_500, now);
    expect(deadline.toHeader()).toBe(String(now + 1_500));
    expect(Deadline.parse(deadline.toHeader())).toEqual(deadline);
  });

  it('counts the time left and how long ago it passed', () => {
    const deadline = Deadline.after(1_000, now);
    expect(deadline.remainingMs(now + 400)).toBe(600);
    expect(deadline.isExpired(now + 999)).toBe(false);
    expect(deadline.isExpired(now + 1_000)).toBe(true);
    expect(deadline.remainingMs(now + 1_250)).toBe(0);
    expect(deadline.overdueMs(now + 1_250)).toBe(250);
    expect(deadline.overdueMs(now + 400)).toBe(0);
  });

  it.each([undefined, '', 'soon', '-5', '1.5e12', '17636832000001234', ['1763683200000'], 1_763_683_200_000])('reads no deadline from %p', (value) => {
    expect(Deadline.parse(value)).toBeUndefined();
  });

  it('keeps the earlier of two deadlines, so a caller can shorten a hop’s time but never extend it', () => {
    const own = Deadline.after(5_000, now);
    expect(own.earliest(Deadline.after(60_000, now))).toBe(own);
    const sooner = Deadline.after(800, now);
    expect(own.earliest(sooner)).toBe(sooner);
    expect(own.earliest(undefined)).toBe(own);
  });
});
