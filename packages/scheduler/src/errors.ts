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

/**
 * An in-process call whose module was still importing `graceMs` after the run began ending
 * (the run's `endGraceMs`): the call fails with this error, through the run's `onException`,
 * instead of holding the run open forever.
 *
 * @example
 * ```ts
 * const { code, error } = await scheduler.run({ timeout: 1000, endGraceMs: 500, onException: "end" });
 * if (error instanceof ModuleImportTimeoutError) console.error(error.module);
 * ```
 */
export class ModuleImportTimeoutError extends AmltkError {
  override readonly name = "ModuleImportTimeoutError";
  constructor(
    readonly module: string,
    readonly exportName: string,
    readonly graceMs: number,
  ) {
    super(
      `The module ${module} had not finished importing ${graceMs} ms after the run began ending, ` +
        `so the call of its export "${exportName}" never started (endGraceMs). A top-level await ` +
        "that never settles, or a very slow import, keeps a module importing.",
      { code: "ERR_AMLTK_MODULE_IMPORT_TIMEOUT" },
    );
  }
}
