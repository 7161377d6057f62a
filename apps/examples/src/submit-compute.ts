/**
 * Example: submitting compute directly with `scheduler.submit`, no Task involved. Each
 * result below 10 is fed back in, so 2 ** 2 = 4 leads to 2 ** 4 = 16, and the run ends.
 */

import type { ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, work, type Log } from "./setup.js";

export interface SubmitOutcome {
  results: number[];
  exit: ExitState;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log): Promise<SubmitOutcome> {
  const scheduler = makeScheduler({ workers: 2 });
  const results: number[] = [];

  scheduler.onStart(function submitCalculations() {
    scheduler.submit(work.expensive, 2);
  });

  scheduler.onFutureResult(function printResult(_future, result: number) {
    log(result);
    results.push(result);
    if (result < 10) scheduler.submit(work.expensive, result);
  });

  const exit = await scheduler.run();
  return { results, exit, scheduler };
}

if (isMain(import.meta.url)) await main();
