/**
 * Example: the default exception policy, `onException: "raise"`. A submitted call throws a
 * ValueError; the run ends and `run()` rejects with that very error, so a program that does
 * not handle it stops with the error's own stack trace.
 */

import type { Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, work, type Log } from "./setup.js";

export interface RaiseOutcome {
  /** What `run()` rejected with. */
  error: unknown;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log): Promise<RaiseOutcome> {
  const scheduler = makeScheduler({ workers: 1 });

  scheduler.onStart(function submitCalculations() {
    scheduler.submit(work.fail, "Failed!");
  });

  try {
    await scheduler.run({ onException: "raise" }); // "raise" is also the default
  } catch (error) {
    log(`run() rejected with ${String(error)}`);
    return { error, scheduler };
  }
  throw new Error("run() was expected to reject with the call's error.");
}

if (isMain(import.meta.url)) await main();
