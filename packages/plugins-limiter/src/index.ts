/**
 * @amltk/plugins-limiter: limit a task's total calls, its concurrency, or run it only while
 * other tasks are idle.
 *
 * @example
 * ```ts
 * import { Limiter } from "@amltk/plugins-limiter";
 * scheduler.task(fn, { plugins: [new Limiter({ maxCalls: 10, maxConcurrent: 2 })] });
 * ```
 */
export { Limiter, type LimiterEvents, type LimiterOptions, type SomeTask } from "./limiter.js";
