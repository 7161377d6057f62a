/**
 * Example: callbacks and when they run. Registering a callback does nothing by itself; it
 * is called once the event is emitted, which for `start` means once the scheduler runs.
 * Several callbacks on one event are called in the order they were registered.
 */

import type { ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, type Log } from "./setup.js";

export interface CallbackOrderOutcome {
  /** How many times `start` had been emitted before `run()`. */
  startsBeforeRun: number;
  exit: ExitState;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log): Promise<CallbackOrderOutcome> {
  const scheduler = makeScheduler({ workers: 1 });

  scheduler.onStart(function printHello1() {
    log("hello 1");
  });

  function printHello2(): void {
    log("hello 2");
  }
  scheduler.onStart(printHello2);

  // Nothing has been printed yet: no run, no `start` event.
  const startsBeforeRun = scheduler.onStart.count;
  log(`start emitted ${startsBeforeRun} times before run()`);

  const exit = await scheduler.run();
  log(`start emitted ${scheduler.onStart.count} time after run()`);
  return { startsBeforeRun, exit, scheduler };
}

if (isMain(import.meta.url)) await main();
