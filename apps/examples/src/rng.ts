/**
 * A tiny seeded random number generator (mulberry32). The examples that look random must
 * print the same thing on every run and on every executor, which `Math.random` cannot give.
 */

/**
 * Returns a function producing floats in [0, 1), fully determined by `seed`.
 *
 * @example
 * ```ts
 * const random = seededRandom(42);
 * random(); // same value on every run
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
