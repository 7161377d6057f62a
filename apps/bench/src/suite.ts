/**
 * The shape every benchmark suite has: a list of cases, a way to measure one case, and a
 * report over all of them. Splitting "measure one case" from "report" is what lets the
 * runner measure each case in a fresh process (see `isolate.ts`) and print one table after.
 */

import type { Print } from "./report.js";

/**
 * A benchmark suite. `R` is what one case measures; it crosses a process boundary, so it
 * must be plain data (numbers, strings, arrays and objects of them).
 *
 * @example
 * ```ts
 * const suite: Suite<number> = {
 *   name: "noop", title: "No-op", target: "none",
 *   caseIds: () => ["a"],
 *   runCase: async () => 1,
 *   report: (results, out) => { out(String(results.get("a"))); return true; },
 * };
 * ```
 */
export interface Suite<R = unknown> {
  /** What `pnpm bench <filter>` matches against. */
  readonly name: string;
  readonly title: string;
  /** The target, in words, for the summary. */
  readonly target: string;
  /** Case ids in the order they run. */
  caseIds(): readonly string[];
  /** Measures one case in the current process. */
  runCase(id: string): Promise<R>;
  /** Prints the suite's tables from all its cases' results; returns whether the target was met. */
  report(results: ReadonlyMap<string, R>, out: Print): boolean;
}
