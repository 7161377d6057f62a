/**
 * Example: the `repeat` callback option. One `start` emission calls the callback three
 * times; the three calls count as one towards `maxCalls` and in renderings.
 */

import type { ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, type Log } from "./setup.js";

export interface RepeatOutcome {
  exit: ExitState;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log): Promise<RepeatOutcome> {
  const scheduler = makeScheduler({ workers: 1 });

  scheduler.onStart(
    function printHello() {
      log("hello");
    },
    { repeat: 3 },
  );

  const exit = await scheduler.run();
  return { exit, scheduler };
}

if (isMain(import.meta.url)) await main();
