/**
 * Errors about calls and their futures: not done yet, cancelled, no context, function not
 * found. Each has a stable `name` and `code`.
 */

import { AmltkError } from "@amltk/events";

/**
 * Thrown by `future.result()` or `future.exception()` before the future has settled.
 *
 * @example
 * ```ts
 * const future = task.submit(1)!;
 * future.result(); // throws FutureNotDoneError: the call is still pending
 * ```
 */
export class FutureNotDoneError extends AmltkError {
  override readonly name = "FutureNotDoneError";
  constructor(state: string) {
    super(`The future is not done yet: it is ${state}. Await it or wait for its "done" event.`, {
      code: "ERR_AMLTK_FUTURE_NOT_DONE",
    });
  }
}

/**
 * The outcome of a call that was cancelled: `await future` throws it, executors reject with
 * it, and `run({ onCancelled })` decides what a cancellation during a run does.
 *
 * @example
 * ```ts
 * future.cancel();
 * await future; // throws CancelledError
 * ```
 */
export class CancelledError extends AmltkError {
  override readonly name = "CancelledError";
  constructor(message = "The call was cancelled.", options?: { cause?: unknown }) {
    super(message, { ...options, code: "ERR_AMLTK_CANCELLED" });
  }

  /**
   * `reason` itself when it is a `CancelledError` (an abort reason, say), else a new one with
   * `reason` as its cause.
   *
   * @example
   * ```ts
   * onCancel((reason) => reject(CancelledError.from(reason)));
   * ```
   */
  static from(reason: unknown): CancelledError {
    return reason instanceof CancelledError ? reason : new CancelledError(undefined, { cause: reason });
  }
}

/**
 * Thrown by `taskContext()` when called outside a function run by an executor.
 *
 * @example
 * ```ts
 * taskContext(); // at top level: throws NoTaskContextError
 * ```
 */
export class NoTaskContextError extends AmltkError {
  override readonly name = "NoTaskContextError";
  constructor() {
    super(
      "taskContext() was called outside a running call; it is only available inside a function that an executor runs.",
      { code: "ERR_AMLTK_NO_TASK_CONTEXT" },
    );
  }
}

/**
 * A `FunctionRef` names an export that is missing or not a function. Raised when the call
 * runs (refs are created without importing the module).
 *
 * @example
 * ```ts
 * const work = fromModule<typeof import("./work.js")>(new URL("./work.js", import.meta.url));
 * scheduler.submit(work.colatz, 3); // the call fails: no function export "colatz"
 * ```
 */
export class FunctionNotFoundError extends AmltkError {
  override readonly name = "FunctionNotFoundError";
  readonly module: string;
  readonly exportName: string;

  constructor(module: string, exportName: string, available: readonly string[]) {
    const list = available.length === 0 ? "(none)" : available.join(", ");
    super(
      `Module ${module} has no function export "${exportName}"; its function exports are: ${list}.`,
      { code: "ERR_AMLTK_FUNCTION_NOT_FOUND" },
    );
    this.module = module;
    this.exportName = exportName;
  }
}

/**
 * `taskContext().request(data)` found no `request` handler on the call's task: nobody on the
 * main side could answer, so the request fails at once instead of waiting.
 *
 * @example
 * ```ts
 * // in a work module, with no task.onRequest(...) registered:
 * await taskContext().request("lr?"); // throws NoResponderError
 * ```
 */
export class NoResponderError extends AmltkError {
  override readonly name = "NoResponderError";
  constructor(message = "No request handler is registered on this call's task (task.onRequest), so nobody can answer.") {
    super(message, { code: "ERR_AMLTK_NO_RESPONDER" });
  }
}

/**
 * `taskContext().request(data, { timeout })` got no answer within `timeout` milliseconds.
 *
 * @example
 * ```ts
 * await taskContext().request("lr?", { timeout: 1_000 }); // throws RequestTimeoutError after 1 s
 * ```
 */
export class RequestTimeoutError extends AmltkError {
  override readonly name = "RequestTimeoutError";
  readonly timeout: number;
  constructor(timeout: number) {
    super(`The request got no answer within ${timeout} ms.`, { code: "ERR_AMLTK_REQUEST_TIMEOUT" });
    this.timeout = timeout;
  }
}

/**
 * The main side's `request` handler threw (or its promise rejected) before answering; the
 * handler's error is the `cause`, and it also went through the run's `onException` policy.
 *
 * @example
 * ```ts
 * try { await taskContext().request("lr?"); }
 * catch (error) { if (error instanceof RequestFailedError) console.error(error.cause); }
 * ```
 */
export class RequestFailedError extends AmltkError {
  override readonly name = "RequestFailedError";
  constructor(cause: unknown) {
    const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`The request handler failed: ${text}`, { cause, code: "ERR_AMLTK_REQUEST_FAILED" });
  }
}

/**
 * Thrown by a call that sees it has too little time left (`taskContext().remainingTime()`)
 * to finish cleanly; where retries on time limits apply (SLURM jobs mode, `Retry`), the call
 * is run again, with its working directory kept so it can resume from a checkpoint.
 *
 * @example
 * ```ts
 * if (taskContext().remainingTime() < 60_000) { saveCheckpoint(); throw new GracefulTimeout(); }
 * ```
 */
export class GracefulTimeout extends AmltkError {
  override readonly name = "GracefulTimeout";
  constructor(message = "The call stopped early: too little time was left to finish.", options?: { cause?: unknown }) {
    super(message, { ...options, code: "ERR_AMLTK_GRACEFUL_TIMEOUT" });
  }
}
