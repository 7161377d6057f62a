/**
 * Example: the Limiter with requeueing. Same setup as the dropping example, but a callback
 * on the task's `concurrent-limit-reached` event puts each refused item back at the front of
 * the work list, so every item is eventually computed.
 */

import type { ExitState, Scheduler } from "@amltk/scheduler";
import { Limiter } from "@amltk/plugins-limiter";
import { Requeue } from "./requeue.js";
import { isMain, makeScheduler, work, type Log } from "./setup.js";

export interface RequeueOutcome {
  results: number[];
  /** Times the limiter refused a submission. */
  limitReached: number;
  exit: ExitState;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log): Promise<RequeueOutcome> {
  const scheduler = makeScheduler({ workers: 2 });
  const task = scheduler.task(work.myFunc, { plugins: [new Limiter({ maxConcurrent: 2 })] });

  const items = new Requeue([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const results: number[] = [];

  scheduler.onStart(
    function submit() {
      const next = items.next();
      if (!next.done) task.submit(next.value);
    },
    { repeat: 4 },
  );

  // Plugin events are subscribed to by name (or with the `Limiter.CONCURRENT_LIMIT_REACHED` object).
  task.on("concurrent-limit-reached", function addBackToQueue(_task, x) {
    items.requeue(x as number);
  });

  task.onResult(function recordResult(_future, result) {
    results.push(result);
  });

  task.onResult(function launchAnother() {
    const next = items.next();
    if (!next.done) task.submit(next.value);
  });

  const exit = await scheduler.run();
  const limitReached = task.eventCounts.get("concurrent-limit-reached") ?? 0;
  log(results);
  log(`the limiter refused ${limitReached} submissions, all requeued`);
  return { results, limitReached, exit, scheduler };
}

if (isMain(import.meta.url)) await main();
