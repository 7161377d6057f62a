/**
 * Example: the `maxCalls` callback option (the guide's `limit=`). The result callback
 * resubmits, but only its first three calls do: the first submission plus three more make
 * four calls in all, and then the run has nothing left to do.
 */

import type { ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, work, type Log } from "./setup.js";

export interface MaxCallsOutcome {
  /** Calls submitted during the run. */
  submitted: number;
  /** Times the limited callback ran. */
  resubmissions: number;
  exit: ExitState;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log): Promise<MaxCallsOutcome> {
  const scheduler = makeScheduler({ workers: 2 });
  let resubmissions = 0;

  scheduler.onStart(function submitCalculations() {
    scheduler.submit(work.square, 2);
  });

  scheduler.onFutureResult(
    function resubmit(_future, result: number) {
      resubmissions++;
      log(`got ${result}, resubmitting (${resubmissions} of at most 3)`);
      scheduler.submit(work.square, 2);
    },
    { maxCalls: 3 },
  );

  const exit = await scheduler.run();
  const submitted = scheduler.onFutureSubmitted.count;
  log(`${submitted} calls submitted, ${scheduler.onFutureResult.count} results`);
  return { submitted, resubmissions, exit, scheduler };
}

if (isMain(import.meta.url)) await main();
