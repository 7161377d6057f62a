/**
 * Example: ending a run with `timeout`. Every finished call submits the next one, so the
 * run would never run out of work; the timeout ends it (TIMEOUT). The callback checks
 * `running()` first, because calls still finishing after the timeout must not resubmit.
 */

import type { ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, work, type Log } from "./setup.js";

export interface TimeoutOutcome {
  /** Calls that completed. */
  completed: number;
  exit: ExitState;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log, timeout = 200): Promise<TimeoutOutcome> {
  const scheduler = makeScheduler({ workers: 1 });

  scheduler.onStart(function submitCalculations() {
    scheduler.submit(work.sleep, 20);
  });

  // This would loop forever without the timeout.
  scheduler.onFutureDone(function submitAgain() {
    if (scheduler.running()) scheduler.submit(work.sleep, 20);
  });

  const exit = await scheduler.run({ timeout });
  const completed = scheduler.onFutureResult.count;
  log(`run ended: ${exit.code} after ${completed} calls (timeout emitted ${scheduler.onTimeout.count} time)`);
  return { completed, exit, scheduler };
}

if (isMain(import.meta.url)) await main();
