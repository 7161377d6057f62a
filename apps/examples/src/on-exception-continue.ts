/**
 * Example: `onException: "continue"` (the guide's "ignore"). A failing call is reported to
 * the `future-exception` callbacks and the run carries on: the other call still returns and
 * the run ends by running out of work (EXHAUSTED), not because of the error.
 */

import type { ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, work, type Log } from "./setup.js";

export interface ContinueOutcome {
  /** Results of the calls that did not fail. */
  results: number[];
  exit: ExitState;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log): Promise<ContinueOutcome> {
  const scheduler = makeScheduler({ workers: 1 });
  const results: number[] = [];

  scheduler.onStart(function submitCalculations() {
    scheduler.submit(work.fail, "Failed!");
    scheduler.submit(work.expensive, 3);
  });

  scheduler.onFutureException(function report(_future, error) {
    log(`Got exception ${String(error)}`);
  });

  scheduler.onFutureResult(function record(_future, result: number) {
    log(`Got result ${result}`);
    results.push(result);
  });

  const exit = await scheduler.run({ onException: "continue" });
  log(`run ended: ${exit.code}`);
  return { results, exit, scheduler };
}

if (isMain(import.meta.url)) await main();
