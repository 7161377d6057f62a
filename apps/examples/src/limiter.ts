/**
 * Example: the Limiter plugin dropping submissions. The task may have at most two calls
 * unfinished; the start callback submits four items at once, so the third and fourth are
 * refused and never computed: the results skip 2 and 3.
 */

import { Limiter } from "@amltk/plugins-limiter";
import type { ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, work, type Log } from "./setup.js";

export interface LimiterOutcome {
  results: number[];
  /** The items the limiter refused, in order. */
  dropped: number[];
  exit: ExitState;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log, { display = false } = {}): Promise<LimiterOutcome> {
  const scheduler = makeScheduler({ workers: 2 });
  const task = scheduler.task(work.myFunc, { plugins: [new Limiter({ maxConcurrent: 2 })] });

  const items = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].values();
  const results: number[] = [];
  const dropped: number[] = [];

  scheduler.onStart(
    function submit() {
      const next = items.next();
      if (!next.done) task.submit(next.value);
    },
    { repeat: 4 },
  );

  // Typed from the task: the refused item `x` is a number, as `work.myFunc` takes.
  Limiter.events(task).onConcurrentLimitReached(function recordDropped(_task, x) {
    dropped.push(x);
  });

  task.onResult(function recordResult(_future, result) {
    results.push(result);
  });

  task.onResult(function launchAnother() {
    const next = items.next();
    if (!next.done) task.submit(next.value);
  });

  const exit = await scheduler.run({ display });
  log(results);
  log(`dropped by the limiter: ${dropped.join(", ")}`);
  return { results, dropped, exit, scheduler };
}

if (isMain(import.meta.url)) await main();
