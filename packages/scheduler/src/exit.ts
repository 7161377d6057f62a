/**
 * `ExitCode` and `ExitState`: how a run ended, as `run()` reports it.
 */

/**
 * Why a run ended.
 *
 * @example
 * ```ts
 * const { code } = await scheduler.run({ timeout: 1000 });
 * if (code === ExitCode.TIMEOUT) console.log("out of time");
 * ```
 */
export const ExitCode = {
  /** `stop()` was called, or `run({ signal })` aborted. */
  STOPPED: "stopped",
  /** `run({ timeout })` elapsed. */
  TIMEOUT: "timeout",
  /** The run ran out of work with `endOnEmpty`. */
  EXHAUSTED: "exhausted",
  /** A call was cancelled with `onCancelled: "end"`. */
  CANCELLED: "cancelled",
  /** An error was handled with `onException` action `"end"`. */
  EXCEPTION: "exception",
  /** None of the above (not produced by the core; kept for executors and plugins). */
  UNKNOWN: "unknown",
} as const;

/** One of the `ExitCode` values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * What `run()` resolves with. `error` is set for `EXCEPTION` and `CANCELLED`, and for
 * `STOPPED` when `stop({ error })` was handled with `"continue"`.
 *
 * @example
 * ```ts
 * const state = await scheduler.run({ onException: "end" });
 * if (state.code === ExitCode.EXCEPTION) console.error(state.error);
 * ```
 */
export interface ExitState {
  readonly code: ExitCode;
  readonly error?: unknown;
}
