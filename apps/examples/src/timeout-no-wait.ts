/**
 * Example: `timeout` together with `wait: false`. The call would sleep for ten seconds; the
 * run times out long before, and instead of waiting for the call it cancels it, so `run()`
 * returns right after the timeout.
 */

import type { ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, work, type Log } from "./setup.js";

export interface TimeoutNoWaitOutcome {
  exit: ExitState;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log, timeout = 100): Promise<TimeoutNoWaitOutcome> {
  const scheduler = makeScheduler({ workers: 1 });

  scheduler.onStart(function submitCalculations() {
    scheduler.submit(work.sleep, 10_000);
  });

  const exit = await scheduler.run({ timeout, wait: false });
  const cancelled = scheduler.onFutureCancelled.count;
  log(`run ended: ${exit.code}; ${cancelled} call cancelled, ${scheduler.onFutureDone.count} done`);
  return { exit, scheduler };
}

if (isMain(import.meta.url)) await main();
