/** A source of numbers in [0, 1), like Math.random; seeded, so a run's order mix and fault schedule can be repeated. */
export type Random = () => number;

/** mulberry32: tiny, fast and good enough to spread choices evenly; not for secrets. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An integer in [min, max], both included. */
export function integerBetween(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('Cannot pick from nothing');
  return items[Math.floor(random() * items.length)];
}

/** One of the keys, each as likely as its weight; keys weighted 0 are never picked. */
export function pickWeighted<K extends string>(random: Random, weights: Readonly<Record<K, number>>): K {
  const entries = (Object.entries(weights) as Array<[K, number]>).filter(([, weight]) => weight > 0);
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (total <= 0) throw new RangeError('At least one weight must be positive');
  let roll = random() * total;
  for (const [key, weight] of entries) {
    roll -= weight;
    if (roll < 0) return key;
  }
  return entries[entries.length - 1][0];
}

/** `meanMs` spread by ±`spread` (0.5 → 50 % to 150 %), so periodic faults do not fall into lockstep with anything. */
export function jittered(random: Random, meanMs: number, spread = 0.5): number {
  return Math.round(meanMs * (1 - spread + 2 * spread * random()));
}
