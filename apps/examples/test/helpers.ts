/**
 * Test plumbing: load a BUILT example (dist/) typed as its source, and collect what it logs.
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
] as const;

/** The modules under src/ that are not examples. */
export const SUPPORT_MODULES = ["setup", "work", "rng", "requeue", "demo"] as const;
