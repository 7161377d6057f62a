/**
 * What the monitor and the trace read off a `Future`: its task's name and its worker. Read
 * defensively: `future.worker` exists only on versions of @amltk/task whose executors name
 * their workers, and a call submitted with `scheduler.submit` has no task.
 */

import { isFunctionRef, type Future } from "@amltk/scheduler";

/**
 * The name a call is shown under: its task's name, else the function's name (the export's
 * name for a `fromModule` reference), else `"anonymous"`.
 *
 * @example
 * ```ts
 * taskLabel(scheduler.submit(work.sleep, 10)); // "sleep"
 * ```
 */
export function taskLabel(future: Future<any>): string {
  if (typeof future.taskName === "string" && future.taskName !== "") return future.taskName;
  const fn = future.fn;
  if (isFunctionRef(fn)) return fn.exportName;
  return typeof fn === "function" && fn.name !== "" ? fn.name : "anonymous";
}

/**
 * The worker the executor says runs the call (`future.worker`), or undefined when it does
 * not say.
 *
 * @example
 * ```ts
 * workerOf(future); // "process 4242", or undefined on the in-process executor
 * ```
 */
export function workerOf(future: Future<any>): string | undefined {
  const worker = (future as { readonly worker?: unknown }).worker;
  return typeof worker === "string" && worker !== "" ? worker : undefined;
}

/**
 * The attempt number of the call, for executors that retry; 1 when the future does not say.
 *
 * @example
 * ```ts
 * attemptOf(future); // 1
 * ```
 */
export function attemptOf(future: Future<any>): number {
  const attempt = (future as { readonly attempt?: unknown }).attempt;
  return typeof attempt === "number" ? attempt : 1;
}
