/**
 * @amltk/task: tasks, futures, plugins, function references and the task context.
 *
 * @example
 * ```ts
 * import { fromModule, taskContext } from "@amltk/task";
 * const work = fromModule<typeof import("./work.js")>(new URL("./work.js", import.meta.url));
 * ```
 */
export type { Call } from "./call.js";
export { OpenRequests, requestTimeout } from "./comm.js";
export { currentTaskContext, runInTaskContext, taskContext, type RequestOptions, type TaskContext } from "./context.js";
export {
  CancelledError,
  FunctionNotFoundError,
  FutureNotDoneError,
  GracefulTimeout,
  NoResponderError,
  NoTaskContextError,
  RequestFailedError,
  RequestTimeoutError,
} from "./errors.js";
export {
  callableName,
  fromModule,
  functionRef,
  isFunctionRef,
  loadFunction,
  loadedFunction,
  type AnyFunction,
  type Callable,
  type FunctionOf,
  type FunctionRef,
  type ModuleRefs,
} from "./function-ref.js";
export { Future, type FutureControl, type FutureState } from "./future.js";
export { taskHost, type FutureListener, type HasTaskHost, type TaskHost } from "./host.js";
export type { Plugin, PreSubmitResult } from "./plugin.js";
export { Task, type TaskEvents, type TaskOptions } from "./task.js";
export { Waiters } from "./waiters.js";
