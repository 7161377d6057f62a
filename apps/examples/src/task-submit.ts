/**
 * Example: running a task. A task cannot be submitted before its scheduler runs (the
 * executor is only started by `run()`), so the first attempt fails with
 * SchedulerNotRunningError; submitting from the `start` callback is the way.
 */

import type { ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, work, type Log } from "./setup.js";

export interface TaskSubmitOutcome {
  /** What submitting before `run()` threw. */
  tooEarly: unknown;
  results: number[];
  exit: ExitState;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log): Promise<TaskSubmitOutcome> {
  const scheduler = makeScheduler({ workers: 1 });
  const collatzTask = scheduler.task(work.collatz);
  const results: number[] = [];

  let tooEarly: unknown;
  try {
    collatzTask.submit(5);
  } catch (error) {
    tooEarly = error;
    log(`submitting before run(): ${String(error)}`);
  }

  scheduler.onStart(function launchInitialTask() {
    collatzTask.submit(5);
  });

  collatzTask.onResult(function record(_future, result) {
    log(`collatz(5) = ${result}`);
    results.push(result);
  });

  const exit = await scheduler.run();
  return { tooEarly, results, exit, scheduler };
}

if (isMain(import.meta.url)) await main();
