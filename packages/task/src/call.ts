/**
 * `Call`: what an executor is asked to run. Plain data apart from `fn`, which is a function
 * only for in-process executors.
 */

import type { Callable } from "./function-ref.js";

/**
 * One call handed to an executor.
 *
 * @example
 * ```ts
 * const call: Call<number> = { id: 1, fn: work.collatz, args: [12], attempt: 1 };
 * ```
 */
export interface Call<R = unknown> {
  /** Unique within the scheduler, increasing in submit order. */
  readonly id: number;
  readonly fn: Callable<(...args: any[]) => R | PromiseLike<R>>;
  readonly args: readonly unknown[];
  /** 1 for a first attempt; retries count up. */
  readonly attempt: number;
  /**
   * Wall-clock time (ms since the epoch) by which the call must be done, for
   * `taskContext().remainingTime()`; absent when no limit applies.
   */
  readonly deadline?: number | undefined;
}
