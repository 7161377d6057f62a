/**
 * @amltk/executor-threads: run amltk-ts calls on a pool of worker threads (piscina).
 *
 * @example
 * ```ts
 * import { Scheduler } from "@amltk/scheduler";
 * import { threads } from "@amltk/executor-threads";
 * const scheduler = new Scheduler({ executor: threads({ maxWorkers: 4 }) });
 * ```
 */
export { threads, ThreadsExecutor } from "./threads-executor.js";
export { defaultMaxOldGenerationSizeMb, type ResolvedThreadsOptions, type ThreadsOptions } from "./options.js";
export {
  FunctionRefRequiredError,
  UnsendableValueError,
  WorkerCrashedError,
  WorkerLostError,
  WorkerMemoryLimitError,
  registerError,
} from "@amltk/task/worker";
