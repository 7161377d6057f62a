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
 */
export * from "@amltk/events";
export * from "@amltk/task";
export { LiveDisplay, type FrameSize } from "./display.js";
export { formatDuration, renderFrame, type FrameOptions, type FrameSource } from "./frame.js";
export { ExecutorNotStartedError, SchedulerAlreadyRunningError, SchedulerNotRunningError } from "./errors.js";
export type { Executor, SubmitOptions } from "./executor.js";
export { ExitCode, type ExitState } from "./exit.js";
export { actionFor, type ErrorClass, type ExceptionAction, type ExceptionPolicy } from "./policy.js";
export { callLabel, handlerLabel, preview, renderEvents, renderScheduler, type RenderableScheduler } from "./render.js";
export type { ResolvedRunOptions, RunOptions } from "./run-options.js";
export { Scheduler, type SchedulerEvents, type SchedulerOptions, type SchedulerPhase } from "./scheduler.js";
export type { StopFunction, StopOptions } from "./stop-options.js";
export { MAX_DELAY_MS } from "./run-options.js";
export { SequentialExecutor, type SequentialExecutorOptions } from "./sequential-executor.js";
