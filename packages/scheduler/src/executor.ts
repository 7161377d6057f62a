/**
 * The executor contract: where calls run. The scheduler drives an executor through these
 * four methods; every backend (in-process, threads, processes, remote, SLURM) implements it.
 */

import type { Call } from "@amltk/task";

/**
 * What the scheduler passes with each call.
 *
 * Cancelling a call: a queued call is dropped; a running call has its `taskContext().signal`
 * aborted and, after a grace period, its worker terminated where the backend can. Either way
 * the returned promise rejects with `CancelledError`.
 */
export interface SubmitOptions {
  /**
   * Aborted to cancel the call. Created on first access, because an `AbortSignal` costs
   * microseconds and most calls are never cancelled: hot paths use `onCancel` and
   * `cancelRequested` instead, and hand `signal` on to user code only when it asks.
   */
  readonly signal: AbortSignal;
  /** Whether cancellation was requested; cheap, does not create `signal`. */
  readonly cancelRequested: boolean;
  /** Registers `callback` to run once if the call is cancelled; cheap, does not create `signal`. */
  onCancel(callback: (reason: unknown) => void): void;
  /**
   * Call when the call starts executing in its worker (the future's `"running"` state), not
   * when it is handed over: a worker says so with a `started` message. `worker` names the
   * worker (`future.worker`), for executors that have workers.
   */
  readonly onRunning: (worker?: string) => void;
  /** Comm: the running call sent `data`; the call's task emits `message(future, data)`. */
  onMessage(data: unknown): void;
  /**
   * Comm: the running call asked; the task emits `request(future, data, respond)`. Resolves
   * with the first answer; rejects with `NoResponderError` (no handler) or
   * `RequestFailedError` (the handler threw).
   */
  onRequest(data: unknown): Promise<unknown>;
}

/**
 * A place to run calls.
 *
 * `submit` resolves with the call's result or rejects with its error (user errors keep
 * their name, message, stack, `cause`, `code` and own fields). It may throw synchronously
 * to refuse a call at submit time, e.g. a plain function on an out-of-process backend.
 * It never drops or alters a value silently: a value it cannot carry fails that call with
 * an error naming the value's path.
 *
 * @example
 * ```ts
 * class InlineExecutor implements Executor {
 *   readonly kind = "inline";
 *   async start() {}
 *   async submit<R>(call: Call<R>, { onRunning }: SubmitOptions) {
 *     onRunning();
 *     return (call.fn as (...a: unknown[]) => R)(...call.args);
 *   }
 *   async shutdown() {}
 *   describe() { return {}; }
 * }
 * ```
 */
export interface Executor {
  /** A short name such as `"sequential"`, `"threads"` or `"processes"`. */
  readonly kind: string;
  /** Called by `run()` before the `start` event. May be called again after `shutdown`. */
  start(): Promise<void>;
  submit<R>(call: Call<R>, options: SubmitOptions): Promise<R>;
  /**
   * Called after `finishing`. With `wait`, lets queued and running calls complete; without,
   * the scheduler has already aborted every call's signal. `graceMs` (the run's
   * `endGraceMs`) bounds waiting for work that is not a running call, such as a module that
   * never finishes importing: past it such calls should fail with an error saying so, so
   * that shutdown ends. Executors may ignore it.
   */
  shutdown(options: { wait: boolean; graceMs?: number }): Promise<void>;
  /** State for renderings, such as `{ maxWorkers: 2, busy: 1 }`. */
  describe(): Record<string, unknown>;
}
