/**
 * Time as a dependency, so domain rules about deadlines and expiry are testable.
 * An abstract class rather than an interface so it can also serve as an injection token.
 */
export abstract class Clock {
  abstract now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
