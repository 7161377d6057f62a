/**
 * `CallDurations`: how long calls of each function usually run, so the pool prefetches only
 * behind calls that are expected to end soon. Prefetch hides the round trip between two
 * short calls; behind a long call it would only pin calls that an idle worker could run.
 */

/** Calls averaging under this many ms gain from prefetch; longer ones do not need it. */
const PREFETCH_BELOW_MS = 20;

/**
 * A moving average of run time per function number.
 *
 * @example
 * ```ts
 * const durations = new CallDurations();
 * durations.record(0, 0.05);
 * durations.endsSoon(0, 0.01); // true: function 0 runs ~0.05 ms and this call is young
 * ```
 */
export class CallDurations {
  readonly #average: number[] = [];

  /** A call of function `fn` ran for `ms`. */
  record(fn: number, ms: number): void {
    const previous = this.#average[fn];
    this.#average[fn] = previous === undefined ? ms : previous * 0.8 + ms * 0.2;
  }

  /** Whether a call of `fn` that has run `elapsedMs` so far is expected to end soon. */
  endsSoon(fn: number, elapsedMs: number): boolean {
    const average = this.#average[fn];
    return average !== undefined && average < PREFETCH_BELOW_MS && elapsedMs < 4 * average + 5;
  }
}
