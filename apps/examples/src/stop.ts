/**
 * Example: ending a run with `stop()`, without waiting. The only call sleeps for ten
 * seconds; it is stopped as soon as it is submitted, and with `wait: false` the run does not
 * wait for it: the call is reported cancelled (no `future-done`) and `run()` returns at once.
 */

import type { ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, work, type Log } from "./setup.js";

export interface StopOutcome {
  exit: ExitState;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log): Promise<StopOutcome> {
  const scheduler = makeScheduler({ workers: 1 });

  scheduler.onStart(function submitCalculations() {
    scheduler.submit(work.sleep, 10_000);
  });

  // `stop` is bound and ignores the future it is given, so it can be the callback itself.
  scheduler.onFutureSubmitted(scheduler.stop);

  scheduler.onFutureCancelled(function reportCancelled(future) {
    log(`cancelled: ${String(future)}`);
  });

  const exit = await scheduler.run({ wait: false });
  const counts = scheduler.eventCounts;
  log(`run ended: ${exit.code}`);
  log(`future-cancelled ${counts.get("future-cancelled") ?? 0}, future-done ${counts.get("future-done") ?? 0}`);
  return { exit, scheduler };
}

if (isMain(import.meta.url)) await main();
