/**
 * Errors about the scheduler's own state: submitting outside a run, running twice, using an
 * executor that was not started.
 */

import { AmltkError } from "@amltk/events";

const PHASE_TEXT: Record<string, string> = {
  idle: "not running",
  starting: "still starting its executor",
  ending: "ending its run",
};

/**
 * Thrown by `submit`, `task.submit` and `callLater` when the scheduler is not running: before
 * `run()`, after it ended, or once `stop()` was called.
 *
 * @example
 * ```ts
 * const task = scheduler.task(collatz);
 * task.submit(5); // throws SchedulerNotRunningError: submit from a callback such as onStart
 * ```
 */
export class SchedulerNotRunningError extends AmltkError {
  override readonly name = "SchedulerNotRunningError";
  constructor(action: string, phase: string) {
    super(
      `Cannot ${action}: the scheduler is ${PHASE_TEXT[phase] ?? phase}. ` +
        "Submit from a callback such as onStart or onFutureResult, and check scheduler.running() " +
        "in callbacks that may fire while a run ends.",
      { code: "ERR_AMLTK_SCHEDULER_NOT_RUNNING" },
    );
  }
}

/**
 * `run()` was called while a run of the same scheduler is in progress.
 *
 * @example
 * ```ts
 * const first = scheduler.run();
 * await scheduler.run(); // rejects with SchedulerAlreadyRunningError
 * ```
 */
export class SchedulerAlreadyRunningError extends AmltkError {
  override readonly name = "SchedulerAlreadyRunningError";
  constructor() {
    super("run() was called while this scheduler is already running; await the first run.", {
      code: "ERR_AMLTK_SCHEDULER_ALREADY_RUNNING",
    });
  }
}

/**
 * An executor was asked to run a call before `start()` or after `shutdown()`.
 *
 * @example
 * ```ts
 * new SequentialExecutor().submit(call, opts); // rejects: call start() first
 * ```
 */
export class ExecutorNotStartedError extends AmltkError {
  override readonly name = "ExecutorNotStartedError";
  constructor(kind: string) {
    super(`The ${kind} executor is not started; the scheduler starts it at run().`, {
      code: "ERR_AMLTK_EXECUTOR_NOT_STARTED",
    });
  }
}
