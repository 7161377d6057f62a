/**
 * @amltk/executor-processes: run amltk-ts calls on a pool of child processes (fork + IPC).
 *
 * @example
 * ```ts
 * import { Scheduler } from "@amltk/scheduler";
 * import { processes } from "@amltk/executor-processes";
 * const scheduler = new Scheduler({ executor: processes({ maxWorkers: 4 }) });
 * ```
 */
export { processes, ProcessesExecutor } from "./processes-executor.js";
export type { ProcessesOptions, ResolvedProcessesOptions } from "./options.js";
export {
  FunctionRefRequiredError,
  UnsendableValueError,
  WorkerCrashedError,
  WorkerLostError,
  WorkerMemoryLimitError,
  registerError,
} from "@amltk/task/worker";
