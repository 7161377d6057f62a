/**
 * Entry point of `pnpm bench`: prints the machine facts, runs every suite (or those whose
 * name contains a filter argument, as in `pnpm bench events`), each case in a fresh process,
 * and ends with a summary of the targets. Missing a target is reported, not an error: the
 * run still exits 0, so the figures of a slow build can be published and compared.
 *
 * Usage: `node dist/index.js [filter...] [--no-fork]`. `--no-fork` measures every case in
 * this one process, to see how much cases disturb each other. The same file is also the
 * child entry (`--case <suite>/<id>`), see `isolate.ts`.
 */

import { performance } from "node:perf_hooks";
import { CASE_FLAG, runInChild, serveCase } from "./isolate.js";
import { passFail, print, printMachine, printSection } from "./report.js";
import type { Suite } from "./suite.js";
import { commSuite } from "./suites/comm.js";
import { eventsSuite } from "./suites/events.js";
import { inProcessSuite } from "./suites/in-process.js";
import { processesSuite } from "./suites/processes.js";
import { threadsSuite } from "./suites/threads.js";

/** In the order they run. A new backend adds its suite here. */
const suites: readonly Suite<any>[] = [eventsSuite, inProcessSuite, threadsSuite, processesSuite, commSuite];

/** Progress goes to stderr and only on a terminal, so stdout stays a clean report. */
function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`);
}

async function runSuite(suite: Suite<unknown>, fork: boolean): Promise<boolean> {
  const results = new Map<string, unknown>();
  const ids = suite.caseIds();
  for (const [i, id] of ids.entries()) {
    progress(`${suite.name}: ${i + 1}/${ids.length} ${id}`);
    results.set(id, fork ? await runInChild(suite.name, id) : await suite.runCase(id));
  }
  progress("");
  return suite.report(results, print);
}

async function main(argv: readonly string[]): Promise<number> {
  const caseAt = argv.indexOf(CASE_FLAG);
  if (caseAt >= 0) {
    const [suiteName = "", id = ""] = (argv[caseAt + 1] ?? "").split("/");
    const suite = suites.find((s) => s.name === suiteName);
    await serveCase(async () => {
      if (suite === undefined) throw new Error(`No suite "${suiteName}".`);
      return suite.runCase(id);
    });
    return 0;
  }
  const fork = !argv.includes("--no-fork");
  // `pnpm bench -- events` passes the `--` through; it is not a filter.
  const filters = argv.filter((a) => !a.startsWith("--"));
  const selected = filters.length === 0 ? suites : suites.filter((s) => filters.some((f) => s.name.includes(f)));
  if (selected.length === 0) {
    process.stderr.write(`No suite matches ${filters.join(", ")}; suites: ${suites.map((s) => s.name).join(", ")}.\n`);
    return 2;
  }
  printMachine();
  if (!fork) print("- --no-fork: every case measured in this one process (figures depend on order)");
  const started = performance.now();
  const outcomes: Array<{ suite: Suite<unknown>; pass: boolean; seconds: number }> = [];
  for (const suite of selected) {
    printSection(suite.title);
    const t0 = performance.now();
    const pass = await runSuite(suite, fork);
    outcomes.push({ suite, pass, seconds: (performance.now() - t0) / 1000 });
  }
  printSection("Summary");
  print("");
  for (const { suite, pass, seconds } of outcomes) {
    print(`- ${suite.name}: ${passFail(pass)} (target: ${suite.target}; ${seconds.toFixed(1)} s)`);
  }
  print(`- total time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
