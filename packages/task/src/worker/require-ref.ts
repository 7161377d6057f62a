/**
 * The submit-time check of out-of-process executors: the call's function must be a
 * `FunctionRef`, because a closure cannot be sent to another thread, process or machine.
 */

import { isFunctionRef, type Callable, type FunctionRef } from "../function-ref.js";
import { FunctionRefRequiredError } from "./errors.js";

/**
 * `fn` as a `FunctionRef`, or throws `FunctionRefRequiredError` naming the executor and
 * telling the user to use `fromModule`.
 *
 * @example
 * ```ts
 * submit(call) { const ref = requireFunctionRef(call.fn, "threads"); ... }
 * ```
 */
export function requireFunctionRef(fn: Callable, executor: string): FunctionRef {
  if (isFunctionRef(fn)) return fn;
  throw new FunctionRefRequiredError(executor, fn);
}
