/**
 * `taskContext()`: what a running function can learn about its call (cancellation signal,
 * attempt number, remaining time), on any executor. Executors enter the context with
 * `runInTaskContext`.
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
