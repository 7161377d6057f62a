/**
 * `taskContext()`: what a running function can learn about its call (cancellation signal,
 * attempt number, remaining time) and how it talks to its task while it runs (Comm: `send`
 * and `request`), on any executor. Executors enter the context with `runInTaskContext`.
 */

import { AsyncLocalStorage } from "node:async_hooks";
import { NoTaskContextError } from "./errors.js";

/**
 * The context of the call a function is running in.
 *
 * @example
 * ```ts
 * export async function train(epochs: number) {
 *   const { signal, attempt } = taskContext();
 *   for (let e = 0; e < epochs && !signal.aborted; e++) await step();
 *   return attempt;
 * }
 * ```
 */
export interface TaskContext {
  /** Aborted when the call is cancelled (or its run ends with `wait: false`). */
  readonly signal: AbortSignal;
  /** 1 for the first attempt of a call, 2 for its first retry, ... */
  readonly attempt: number;
  /** Milliseconds until the call's time limit; `Infinity` when it has none. */
  remainingTime(): number;
  /** The call's working directory, on executors that give each call one. */
  readonly workdir?: string;
  /**
   * Sends `data` to the call's task, which emits `message(future, data)`. Messages of a call
   * arrive in the order sent, all before the call's `done`. Returns at once.
   *
   * @throws UnsendableValueError at once for a value the executor's codec cannot carry.
   */
  send(data: unknown): void;
  /**
   * Asks the call's task: it emits `request(future, data, respond)` and this resolves with
   * the value of the first `respond(value)`.
   *
   * Rejects with `NoResponderError` when the task has no request handler,
   * `RequestTimeoutError` after `timeout` ms without an answer, `RequestFailedError` when the
   * handler threw, and `CancelledError` when the call is cancelled or its run ends first.
   */
  request(data: unknown, options?: RequestOptions): Promise<unknown>;
}

/** Options for `taskContext().request(data, options)`. */
export interface RequestOptions {
  /**
   * Milliseconds to wait for an answer before rejecting with `RequestTimeoutError`.
   * @default Infinity (wait until answered, cancelled, or the run ends)
   */
  readonly timeout?: number | undefined;
}

const storage = new AsyncLocalStorage<TaskContext>();

/**
 * The context of the call this code runs in.
 *
 * @throws NoTaskContextError outside a call.
 * @example
 * ```ts
 * if (taskContext().signal.aborted) return;
 * ```
 */
export function taskContext(): TaskContext {
  const context = storage.getStore();
  if (context === undefined) throw new NoTaskContextError();
  return context;
}

/**
 * Runs `fn` with `context` as its task context (and that of everything it awaits). For
 * executor authors.
 *
 * @example
 * ```ts
 * const out = runInTaskContext({ signal, attempt: 1, remainingTime: () => Infinity }, () => fn(...args));
 * ```
 */
export function runInTaskContext<T>(context: TaskContext, fn: () => T): T {
  return storage.run(context, fn);
}

/**
 * The context of the call this code runs in, or `undefined` outside one. For executor
 * authors (attributing an uncaught error to its call); user code calls `taskContext()`.
 *
 * @example
 * ```ts
 * process.on("uncaughtException", (error) => blame(currentTaskContext(), error));
 * ```
 */
export function currentTaskContext(): TaskContext | undefined {
  return storage.getStore();
}
