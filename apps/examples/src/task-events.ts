/**
 * Example: task-specific events beside the scheduler's. One call goes through a Task, one is
 * a raw `scheduler.submit`. The scheduler's `future-result` sees both; the task's `result`
 * sees only the task's own call.
 */

import type { ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, work, type Log } from "./setup.js";

export interface TaskEventsOutcome {
  /** Times each callback ran. */
  fromScheduler: number;
  fromTask: number;
  exit: ExitState;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log): Promise<TaskEventsOutcome> {
  const scheduler = makeScheduler({ workers: 1 });
  const echoTask = scheduler.task(work.echo);
  let fromScheduler = 0;
  let fromTask = 0;

  scheduler.onStart(function launchInitialTask() {
    echoTask.submit("hello");
    scheduler.submit(work.echo, "hi");
  });

  // Every result that passes through the scheduler.
  scheduler.onFutureResult(function resultFromScheduler(_future, message: string) {
    fromScheduler++;
    log(`result from scheduler: ${message}`);
  });

  // Only the results of echoTask.
  echoTask.onResult(function resultFromTask(_future, message) {
    fromTask++;
    log(`result from task: ${message}`);
  });

  const exit = await scheduler.run();
  return { fromScheduler, fromTask, exit, scheduler };
}

if (isMain(import.meta.url)) await main();
