/**
 * Test plumbing: load a BUILT example (dist/) typed as its source, collect what it logs, and
 * declare a block of tests once per executor (`forEachExecutor`).
 *
 * Why dist: the examples name their compute functions with
 * `fromModule(new URL("./work.js", import.meta.url))`, and the executor imports that URL at
 * run time; only `dist/work.js` exists, and out-of-process executors will need real files
 * anyway. vitest.config.ts externalizes dist/, so Node loads these files natively, exactly as
 * `node dist/<example>.js` does, and `work.js` is one module instance whether the executor or
 * an example imports it (which keeps `instanceof ValueError` meaningful).
 */

import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { format } from "node:util";
import type { Scheduler } from "@amltk/scheduler";
import { afterEach, beforeEach, describe, expect, vi } from "vitest";
import type { Log } from "../src/setup.js";

/** The path of a file of this package, from its root. */
export function packagePath(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}

function mtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Throws a clear message when `dist/<name>.js` is missing or older than its source, so a
 * test never silently exercises a stale build.
 */
export function assertBuilt(name: string): void {
  const builtAt = mtime(packagePath(`dist/${name}.js`));
  const sourceAt = mtime(packagePath(`src/${name}.ts`));
  if (builtAt === undefined || (sourceAt !== undefined && sourceAt > builtAt)) {
    throw new Error(
      `dist/${name}.js is ${builtAt === undefined ? "missing" : "older than src"}: run \`pnpm --filter @amltk/examples build\` first.`,
    );
  }
}

/**
 * Imports `dist/<name>.js`, typed as `src/<name>.ts` (pass `typeof import("../src/<name>.js")`).
 */
export async function example<M>(name: string): Promise<M> {
  assertBuilt(name);
  return (await import(new URL(`../dist/${name}.js`, import.meta.url).href)) as M;
}

/** A `Log` that keeps each line as `console.log` would print it. */
export function collect(): { lines: string[]; log: Log } {
  const lines: string[] = [];
  return { lines, log: (...values) => lines.push(format(...values)) };
}

/** Every runnable example, by file name without extension. */
export const EXAMPLES = [
  "collatz",
  "submit-compute",
  "callback-order",
  "repeat",
  "max-calls",
  "when",
  "every",
  "stop",
  "timeout",
  "timeout-no-wait",
  "call-later",
  "on-exception-raise",
  "on-exception-end",
  "on-exception-continue",
  "on-exception-map",
  "task-submit",
  "task-events",
  "task-chain",
  "limiter",
  "limiter-requeue",
  "seed-task",
  "clapper",
  "monitor",
  "training",
] as const;

/** The modules under src/ that are not examples. */
export const SUPPORT_MODULES = ["setup", "work", "rng", "requeue", "demo"] as const;

/** The `AMLTK_EXECUTOR` values every example is tested on. */
export const EXECUTORS = ["sequential", "threads", "processes"] as const;

/** One of `EXECUTORS`. */
export type ExecutorName = (typeof EXECUTORS)[number];

/** What a block of tests declared by `forEachExecutor` knows about its executor. */
export interface ExecutorCase {
  executor: ExecutorName;
  /**
   * Whether calls run in-process, one at a time in submit order, so results and callbacks
   * come in a fixed order. On threads and processes they come in completion order (an error
   * is also rebuilt asynchronously, so it may be reported after a later call's result).
   */
  inProcess: boolean;
}

/**
 * Declares the tests in `body` once per executor, under `on <executor>`, with
 * `AMLTK_EXECUTOR` set for each test: `makeScheduler()` reads it on every call, so the
 * examples' `main()` runs on that executor. Test files run in separate processes, so the
 * variable never leaks into another file.
 */
export function forEachExecutor(body: (on: ExecutorCase) => void): void {
  describe.each(EXECUTORS)("on %s", (executor) => {
    beforeEach(() => {
      vi.stubEnv("AMLTK_EXECUTOR", executor);
    });
    afterEach(() => {
      vi.unstubAllEnvs();
    });
    body({ executor, inProcess: executor === "sequential" });
  });
}

/** `values` in ascending order, for results that arrive in completion order. */
export function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/**
 * Asserts that the run left no worker behind: a pool executor reports its live workers
 * (`liveWorkers`), which must be none once `run()` has returned.
 */
export function expectNoWorkersLeft(scheduler: Scheduler): void {
  const { liveWorkers } = scheduler.executor as { liveWorkers?: number };
  expect(liveWorkers ?? 0).toBe(0);
}
