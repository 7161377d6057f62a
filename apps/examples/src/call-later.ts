/**
 * Example: `callLater`, scheduling a function to run in the main thread after a delay (it
 * is not compute sent to the executor). A pending timer is not work, so the run uses
 * `endOnEmpty: false` to stay alive until the timer fires and stops it.
 */

import type { ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, type Log } from "./setup.js";

export interface CallLaterOutcome {
  exit: ExitState;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log, delay = 100): Promise<CallLaterOutcome> {
  const scheduler = makeScheduler({ workers: 1 });

  function endNow(): void {
    log("Ending now!");
    scheduler.stop();
  }

  scheduler.onStart(function scheduleEnd() {
    scheduler.callLater(delay, endNow);
  });

  const exit = await scheduler.run({ endOnEmpty: false });
  log(`run ended: ${exit.code}`);
  return { exit, scheduler };
}

if (isMain(import.meta.url)) await main();
