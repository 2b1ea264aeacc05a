/** A source of uniform numbers in [0, 1), injected so tests and seeded demos are reproducible. */
export type Random = () => number;

/** Waits `ms` milliseconds; injected so tests can skip simulated latency and backoff. */
export type Sleep = (ms: number) => Promise<void>;

/** The real sleep: a timer, resolved after `ms` milliseconds. */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small deterministic generator (mulberry32), for `SEED=...` demos and tests. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number between `min` and `max`, both included. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One element of a non-empty list. */
export function pick<T>(random: Random, items: readonly [T, ...T[]]): T {
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))] ?? items[0];
}

/**
 * A log-normal draw around `median` (spread `sigma`), clamped to [min, max]: service latencies
 * have a long right tail, which a uniform draw would hide.
 */
export function logNormal(random: Random, median: number, sigma: number, min: number, max: number): number {
  // Box-Muller; a zero draw would be log(0), so keep it just above.
  const u1 = Math.max(random(), Number.EPSILON);
  const u2 = random();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.round(Math.min(max, Math.max(min, median * Math.exp(sigma * z))));
}
