/**
 * @amltk/scheduler: the Scheduler, the executor contract and the in-process
 * SequentialExecutor. Re-exports @amltk/events and @amltk/task, so the core is one import.
 *
 * @example
 * ```ts
 * import { Scheduler, ExitCode } from "@amltk/scheduler";
 * const scheduler = new Scheduler();
 * scheduler.onStart(() => scheduler.submit((x: number) => x + 1, 1));
 * scheduler.onFutureResult((_f, r) => console.log(r)); // 2
 * const { code } = await scheduler.run(); // ExitCode.EXHAUSTED
 * ```
 *
 * @example
 * ```ts
 * import { WorkerCrashedError, registerError } from "@amltk/scheduler";
 * class BudgetError extends Error {}
 * registerError(BudgetError); // rebuilt as itself when a worker throws it
 * const policy = new Map([[WorkerCrashedError, "continue"]]);
 * ```
 */
export * from "@amltk/events";
export * from "@amltk/task";
// The errors a worker-backed executor reports and the registry that rebuilds a user's error
// classes across the boundary, so `instanceof` checks and `onException` Maps need no second import.
export {
  FunctionRefRequiredError,
  ProtocolError,
  ProtocolVersionError,
  UnsendableValueError,
  WorkerCrashedError,
  WorkerLostError,
  WorkerMemoryLimitError,
  registerError,
  type WorkerExit,
} from "@amltk/task/worker";
export { LiveDisplay, type FrameSize } from "./display.js";
export { formatDuration, renderFrame, type FrameOptions, type FrameSource } from "./frame.js";
export {
  ExecutorNotStartedError,
  ModuleImportTimeoutError,
  SchedulerAlreadyRunningError,
  SchedulerNotRunningError,
} from "./errors.js";
export type { Executor, SubmitOptions } from "./executor.js";
export { ExitCode, type ExitState } from "./exit.js";
export { actionFor, type ErrorClass, type ExceptionAction, type ExceptionPolicy } from "./policy.js";
export { callLabel, handlerLabel, preview, renderEvents, renderScheduler, type RenderableScheduler } from "./render.js";
export type { ResolvedRunOptions, RunOptions } from "./run-options.js";
export { Scheduler, type SchedulerEvents, type SchedulerOptions, type SchedulerPhase } from "./scheduler.js";
export type { StopFunction, StopOptions } from "./stop-options.js";
export { END_GRACE_MS, MAX_DELAY_MS } from "./run-options.js";
export { SequentialExecutor, type SequentialExecutorOptions } from "./sequential-executor.js";
