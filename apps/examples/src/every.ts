/**
 * Example: the `every` callback option, and running one scheduler several times. With
 * `every: 2` the callback runs on the 2nd, 4th, ... `start`; five runs print it twice. Event
 * counts and each handler's own count carry over from one run to the next.
 */

import type { ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, type Log } from "./setup.js";

export interface EveryOutcome {
  exits: ExitState[];
  scheduler: Scheduler;
}

export async function main(log: Log = console.log, runs = 5): Promise<EveryOutcome> {
  const scheduler = makeScheduler({ workers: 1 });
  let run = 0;

  scheduler.onStart(function countRuns() {
    run++;
  });

  scheduler.onStart(
    function printHello() {
      log(`hello (run ${run})`);
    },
    { every: 2 },
  );

  const exits: ExitState[] = [];
  for (let i = 0; i < runs; i++) exits.push(await scheduler.run());
  return { exits, scheduler };
}

if (isMain(import.meta.url)) await main();
