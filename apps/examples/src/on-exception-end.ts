/**
 * Example: `onException: "end"`. A call throws; the run ends without raising and `run()`
 * resolves with code EXCEPTION and the error, for the program to inspect. Callbacks on
 * `future-exception` still see the error first.
 */

import type { ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, work, type Log } from "./setup.js";

export interface EndOutcome {
  exit: ExitState;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log): Promise<EndOutcome> {
  const scheduler = makeScheduler({ workers: 1 });

  scheduler.onStart(function submitCalculations() {
    scheduler.submit(work.fail, "Failed!");
  });

  scheduler.onFutureException(function report(_future, error) {
    log(`Got exception ${String(error)}`);
  });

  const exit = await scheduler.run({ onException: "end" });
  log(`run ended: ${exit.code} with ${String(exit.error)}`);
  return { exit, scheduler };
}

if (isMain(import.meta.url)) await main();
