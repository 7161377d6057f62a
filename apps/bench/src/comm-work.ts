/**
 * The Comm benchmark's call, in a module of its own so out-of-process executors can run it
 * by reference and so the reference workload's `work.ts` stays import-free.
 */

import { taskContext } from "@amltk/scheduler";

/**
 * Sends `0, 1, ..., n - 1` to its task with `taskContext().send`, then returns `n`.
 *
 * @example
 * ```ts
 * task.onMessage(() => received++);
 * task.submit(1_000); // 1,000 `message` emissions, then the result 1000
 * ```
 */
export function sendMany(n: number): number {
  const context = taskContext();
  for (let i = 0; i < n; i++) context.send(i);
  return n;
}
