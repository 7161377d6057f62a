/**
 * The reference workload of DESIGN section 7, AMLTK's own benchmark: N trivial calls
 * `x => x + 1`, each result submitting the next call until N were submitted, with a fixed
 * number in flight (2, or 64 for the saturated variant).
 *
 * One driver runs it through a `Scheduler` on any `Executor`; another runs the same chain
 * directly on a raw transport (a promise, and later piscina, `child_process` IPC, ws), so a
 * backend and the transport it is built on are timed by the same code and can be set side by
 * side as a ratio.
 */

import { performance } from "node:perf_hooks";
import { ExitCode, Scheduler, type Callable, type Executor } from "@amltk/scheduler";
import { quantile, summarize, type Sampled, type Summary } from "./harness.js";
import { increment } from "./work.js";

/** The shape of one run of the reference workload. */
export interface WorkloadOptions {
  /** Calls in total. */
  readonly n: number;
  /** Calls kept in flight: submitted up front, and each result submits one more. */
  readonly inFlight: number;
}

/** What one run of the workload measured. Times in milliseconds. */
export interface WorkloadResult {
  readonly calls: number;
  /** From just before `run()` (or the transport's `start()`) to the last result callback. */
  readonly wallMs: number;
  /** `calls / wallMs`, per second. */
  readonly callsPerSec: number;
  /** Round trip of one call, submit to its result callback: median (of every 8th call). */
  readonly p50Ms: number;
  /** Round trip of one call: 99th percentile. */
  readonly p99Ms: number;
  /** From just before `run()` to the first result callback: start-up cost as a user sees it. */
  readonly firstResultMs: number;
  /** From just before `run()` until it resolved: includes ending the run and shutdown. */
  readonly totalMs: number;
}

/**
 * A raw transport: the thing a backend is built on, driven without the scheduler, as the
 * floor a backend is compared to. `call` runs the reference call somewhere and resolves with
 * its result.
 */
export interface RawTransport {
  start(): Promise<void>;
  call(x: number): PromiseLike<number>;
  close(): Promise<void>;
}

/**
 * Latency is timed on every `LATENCY_STRIDE`-th call only. A `performance.now()` costs
 * ~45 ns here; two per call would be ~4% of a scheduler call and over half of a raw promise
 * hop (~140 ns), so timing every call would flatten the very ratios we print. All in-flight
 * chains are alike, so every 8th call is an unbiased sample (2,500 at N = 20,000).
 */
export const LATENCY_STRIDE = 8;

/** Timestamps of one run; percentiles are computed after the run, off the clock. */
class Recorder {
  readonly #submittedAt: Float64Array;
  readonly #latency: Float64Array;
  #timed = 0;
  completed = 0;
  /** Sum of all results: checked against the closed form, so no call can be skipped or faked. */
  #sum = 0;
  #t0 = 0;
  #tFirst = 0;
  #tLast = 0;

  constructor(readonly n: number) {
    this.#submittedAt = new Float64Array(Math.ceil(n / LATENCY_STRIDE));
    this.#latency = new Float64Array(Math.ceil(n / LATENCY_STRIDE));
  }

  begin(): void {
    this.#t0 = performance.now();
  }

  submitted(i: number): void {
    if (i % LATENCY_STRIDE === 0) this.#submittedAt[i / LATENCY_STRIDE] = performance.now();
  }

  result(i: number, value: number): void {
    this.#sum += value;
    const done = ++this.completed;
    const sampled = i % LATENCY_STRIDE === 0;
    if (!sampled && done !== 1 && done !== this.n) return;
    const t = performance.now();
    if (done === 1) this.#tFirst = t;
    if (done === this.n) this.#tLast = t;
    if (sampled) this.#latency[this.#timed++] = t - this.#submittedAt[i / LATENCY_STRIDE]!;
  }

  finish(tEnd: number): WorkloadResult {
    const { n } = this;
    if (this.completed !== n) throw new Error(`Expected ${n} results, got ${this.completed}.`);
    // Results are i + 1 for i in 0..n-1.
    const expected = (n * (n + 1)) / 2;
    if (this.#sum !== expected) throw new Error(`Results sum to ${this.#sum}, expected ${expected}.`);
    const sorted = this.#latency.subarray(0, this.#timed).sort();
    const wallMs = this.#tLast - this.#t0;
    return {
      calls: n,
      wallMs,
      callsPerSec: n / (wallMs / 1000),
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
      firstResultMs: this.#tFirst - this.#t0,
      totalMs: tEnd - this.#t0,
    };
  }
}

function checkOptions({ n, inFlight }: WorkloadOptions): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1, got ${n}.`);
  if (!Number.isInteger(inFlight) || inFlight < 1) {
    throw new RangeError(`inFlight must be an integer >= 1, got ${inFlight}.`);
  }
}

/**
 * Runs the reference workload once through a fresh `Scheduler` on a fresh executor: the
 * first `inFlight` calls are submitted in `onStart`, and each `future-result` callback
 * submits one more until `n` were submitted; the run ends when it is out of work.
 *
 * `fn` defaults to the plain `increment`; out-of-process executors pass
 * `fromModule<typeof import("./work.js")>(new URL("./work.js", import.meta.url)).increment`.
 *
 * @example
 * ```ts
 * const r = await runSchedulerWorkload(() => new SequentialExecutor(), { n: 20_000, inFlight: 2 });
 * console.log(r.callsPerSec, r.p99Ms);
 * ```
 */
export async function runSchedulerWorkload(
  makeExecutor: () => Executor,
  options: WorkloadOptions,
  fn: Callable<(x: number) => number> = increment,
): Promise<WorkloadResult> {
  checkOptions(options);
  const { n, inFlight } = options;
  const scheduler = new Scheduler({ executor: makeExecutor() });
  const recorder = new Recorder(n);
  let next = 0;
  const submitOne = (): void => {
    const i = next++;
    recorder.submitted(i);
    scheduler.submit(fn, i);
  };
  scheduler.onStart(() => {
    for (let k = Math.min(inFlight, n); k > 0; k--) submitOne();
  });
  scheduler.onFutureResult((future, result) => {
    // The argument is the call's index, so a result finds its submit time without a lookup.
    recorder.result(future.args[0] as number, result as number);
    if (next < n) submitOne();
  });
  recorder.begin();
  const exit = await scheduler.run();
  const tEnd = performance.now();
  if (exit.code !== ExitCode.EXHAUSTED) {
    throw new Error(`The run ended with ${exit.code}, expected ${ExitCode.EXHAUSTED}.`, { cause: exit.error });
  }
  return recorder.finish(tEnd);
}

/**
 * Runs the reference workload once directly on a raw transport, chained from promise
 * callbacks with the same in-flight pattern as `runSchedulerWorkload`.
 *
 * @example
 * ```ts
 * const r = await runRawWorkload(() => promiseTransport(), { n: 200_000, inFlight: 64 });
 * ```
 */
export async function runRawWorkload(
  makeTransport: () => RawTransport,
  options: WorkloadOptions,
): Promise<WorkloadResult> {
  checkOptions(options);
  const { n, inFlight } = options;
  const transport = makeTransport();
  const recorder = new Recorder(n);
  let next = 0;
  recorder.begin();
  await transport.start();
  await new Promise<void>((resolve, reject) => {
    const submitOne = (): void => {
      const i = next++;
      recorder.submitted(i);
      transport.call(i).then((value) => {
        recorder.result(i, value);
        if (next < n) submitOne();
        else if (recorder.completed === n) resolve();
      }, reject);
    };
    for (let k = Math.min(inFlight, n); k > 0; k--) submitOne();
  });
  await transport.close();
  return recorder.finish(performance.now());
}

/** Repeated runs of one workload, reduced to the figures a report prints. */
export interface WorkloadSummary {
  readonly callsPerSec: Summary;
  /** Medians over the timed runs of each run's own figure. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly firstResultMs: number;
  readonly totalMs: number;
  /** Time to first result of the first run in the process: the cold start. */
  readonly coldFirstResultMs: number;
}

/**
 * Reduces several runs of the same workload: the spread is reported for throughput, the
 * headline figure; latencies are the median of each run's percentile.
 *
 * @example
 * ```ts
 * summarizeWorkload(await sampleAsync(() => runSchedulerWorkload(make, opts)));
 * ```
 */
export function summarizeWorkload({ warmups, samples }: Sampled<WorkloadResult>): WorkloadSummary {
  const median = (pick: (r: WorkloadResult) => number) => summarize(samples.map(pick)).median;
  const cold = warmups[0] ?? samples[0];
  if (cold === undefined) throw new Error("summarizeWorkload() needs at least one run.");
  return {
    callsPerSec: summarize(samples.map((r) => r.callsPerSec)),
    p50Ms: median((r) => r.p50Ms),
    p99Ms: median((r) => r.p99Ms),
    firstResultMs: median((r) => r.firstResultMs),
    totalMs: median((r) => r.totalMs),
    coldFirstResultMs: cold.firstResultMs,
  };
}
