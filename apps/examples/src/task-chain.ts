/**
 * Example: two tasks chained, sharing one exception callback. Each item is doubled by the
 * first task, whose result is squared by the second; the same callback handles errors from
 * either task. `double` refuses negative numbers, so passing one shows the shared callback
 * at work (the run uses "continue" because that callback is the error handling).
 */

import type { ExitState, Future, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, work, type Log } from "./setup.js";

export interface TaskChainOutcome {
  /** What the second task returned, in completion order. */
  squares: number[];
  /** The errors the shared callback handled, as `task: Name: message`. */
  errors: string[];
  exit: ExitState;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log, list: readonly number[] = [1, 2, 3]): Promise<TaskChainOutcome> {
  const scheduler = makeScheduler({ workers: 1 });
  const task1 = scheduler.task(work.double);
  const task2 = scheduler.task(work.square);
  const items = list.values();
  const squares: number[] = [];
  const errors: string[] = [];

  scheduler.onStart(function submitInitial() {
    const next = items.next();
    if (!next.done) task1.submit(next.value);
  });

  task1.onResult(function submitTask2WithResultOfTask1(_future, result) {
    task2.submit(result);
  });

  // On `done` rather than `result`, so an item that fails does not stall the rest.
  task1.onDone(function submitTask1WithNextItem() {
    const next = items.next();
    if (!next.done) {
      task1.submit(next.value);
      return;
    }
    log("Done!");
  });

  task2.onResult(function record(_future, result) {
    squares.push(result);
  });

  function handleTaskException(future: Future<unknown>, error: unknown): void {
    errors.push(`${future.taskName}: ${String(error)}`);
    log(`A task errored! ${future.taskName}: ${String(error)}`);
  }
  task1.onException(handleTaskException);
  task2.onException(handleTaskException);

  const exit = await scheduler.run({ onException: "continue" });
  log(`squares: ${squares.join(", ")}`);
  return { squares, errors, exit, scheduler };
}

if (isMain(import.meta.url)) await main();
