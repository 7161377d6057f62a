/**
 * The measuring harness: warm-up, repeated samples, medians and a note of the spread.
 * Every suite measures through it, so all figures in one report are taken the same way.
 *
 * Two shapes of measurement:
 * - `measureSync` for micro-benchmarks (a loop of `iterations` operations), calibrated so
 *   each sample lasts about `sampleMs`;
 * - `sampleAsync` for whole workloads (one scheduler run is one sample).
 */

import { performance } from "node:perf_hooks";

/** The central value of repeated samples and how far apart they were. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** (max - min) / median, in percent: a quick honesty check on the median. */
  readonly spreadPct: number;
  readonly samples: number;
}

/**
 * Median and spread of `values`.
 *
 * @example
 * ```ts
 * summarize([3, 1, 2]).median; // 2
 * ```
 */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error("summarize() needs at least one value.");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  return { median, min, max, spreadPct: median === 0 ? 0 : ((max - min) / median) * 100, samples: values.length };
}

/**
 * The `q`-quantile (0..1) of values sorted ascending, nearest-rank.
 *
 * @example
 * ```ts
 * quantile(Float64Array.from([1, 2, 3, 4]), 0.5); // 2
 * ```
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** Options for `measureSync`. */
export interface SyncOptions {
  /** How long warm-up runs, so the JIT has optimised the loop before we time it. @default 150 */
  warmupMs?: number;
  /** Target length of one sample. @default 60 */
  sampleMs?: number;
  /** How many timed samples. @default 9 */
  samples?: number;
}

/**
 * Measures a synchronous loop: `loop(iterations)` must do `iterations` operations.
 * Returns operations per second over the samples.
 *
 * Calibration doubles the iteration count until one call lasts long enough to time
 * reliably, which doubles as warm-up.
 *
 * @example
 * ```ts
 * const opsPerSec = measureSync((n) => { for (let i = 0; i < n; i++) emitter.emit(tick, i); });
 * ```
 */
export function measureSync(loop: (iterations: number) => void, options: SyncOptions = {}): Summary {
  const { warmupMs = 150, sampleMs = 60, samples = 9 } = options;
  let iterations = 1_000;
  let elapsed = 0;
  // Grow until a call is long enough that timer resolution and call overhead are noise.
  for (;;) {
    const t0 = performance.now();
    loop(iterations);
    elapsed = performance.now() - t0;
    if (elapsed >= sampleMs / 4 || iterations >= 1 << 30) break;
    iterations *= 2;
  }
  iterations = Math.max(1, Math.round(iterations * (sampleMs / Math.max(elapsed, 1e-3))));
  // Even counts keep `every: 2`-style handlers in phase from one sample to the next.
  iterations += iterations % 2;
  const warmupEnd = performance.now() + warmupMs;
  while (performance.now() < warmupEnd) loop(iterations);
  const rates: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    loop(iterations);
    const ms = performance.now() - t0;
    rates.push(iterations / (ms / 1000));
  }
  return summarize(rates);
}

/** Options for `sampleAsync`. */
export interface AsyncOptions {
  /** Untimed runs first, so the JIT has seen the whole path. @default 1 */
  warmups?: number;
  /** Timed runs. @default 5 */
  samples?: number;
}

/** The results of the warm-up runs (the first one is the cold run) and of the timed runs. */
export interface Sampled<R> {
  readonly warmups: R[];
  readonly samples: R[];
}

/**
 * Runs a whole workload `warmups + samples` times, one after the other. The workload times
 * itself, so it can report several figures; warm-up results are returned too, because the
 * first run in a fresh process is the cold start a user sees.
 *
 * @example
 * ```ts
 * const { samples } = await sampleAsync(() => runSchedulerWorkload(...), { samples: 5 });
 * summarize(samples.map((r) => r.callsPerSec));
 * ```
 */
export async function sampleAsync<R>(run: () => Promise<R>, options: AsyncOptions = {}): Promise<Sampled<R>> {
  const { warmups = 1, samples = 5 } = options;
  const sampled: Sampled<R> = { warmups: [], samples: [] };
  for (let i = 0; i < warmups + samples; i++) {
    // One macrotask between runs so timers and I/O from the previous run settle first.
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    (i < warmups ? sampled.warmups : sampled.samples).push(await run());
  }
  return sampled;
}
