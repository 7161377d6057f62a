/**
 * The `Plugin` interface: code attached to a task that can veto or rewrite each submission
 * and add events of its own.
 */

import type { Callable } from "./function-ref.js";
import type { Task } from "./task.js";

/**
 * What `preSubmit` returns: the function and arguments to submit, or `undefined` to veto.
 * Annotate your `preSubmit` with it: TypeScript infers an array, not a pair, from
 * `return [fn, args]`.
 */
export type PreSubmitResult = [fn: Callable, args: unknown[]] | undefined;

/**
 * A task plugin. `attachTask` runs once when the task is created (add events there with
 * `task.addEvent`); `preSubmit` runs on every `task.submit` in plugin order and returns the
 * (possibly rewritten) function and arguments, or `undefined` to veto the submission.
 *
 * @example
 * ```ts
 * class Doubler implements Plugin {
 *   readonly name = "doubler";
 *   attachTask() {}
 *   preSubmit(fn: Callable, args: unknown[]): PreSubmitResult {
 *     return [fn, args.map((a) => (a as number) * 2)];
 *   }
 * }
 * scheduler.task(square, { plugins: [new Doubler()] });
 * ```
 */
export interface Plugin {
  /** Shown in renderings. */
  readonly name: string;
  attachTask(task: Task<any, any>): void;
  preSubmit(fn: Callable, args: unknown[]): PreSubmitResult;
  /** Rows of state for renderings, such as `{ Calls: "2/3" }`. */
  describe?(): Record<string, string>;
}
