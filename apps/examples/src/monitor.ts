/**
 * Example: watching a random search with `QueueMonitor` from @amltk/monitor. Forty trials of
 * random length (a seeded `work.sleep`) run on four workers, four trials in flight at a time
 * plus a small queue; the monitor records when each was queued, started and ended, and on
 * which worker, then writes its plot (calls over time, calls per worker) as an SVG.
 *
 * Run it on processes and open the picture:
 *
 *   AMLTK_EXECUTOR=processes node dist/monitor.js /tmp/search.svg
 *
 * Without a path the plot goes to a fresh temporary directory; the path is printed.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QueueMonitor } from "@amltk/monitor";
import type { ExitState, Scheduler } from "@amltk/scheduler";
import { seededRandom } from "./rng.js";
import { isMain, makeScheduler, work, type Log } from "./setup.js";

/** How many trials the search runs. */
export const TRIALS = 40;
/** Trials submitted beyond the workers, so the queue is never empty while there is work. */
const QUEUE_AHEAD = 2;
const WORKERS = 4;

export interface MonitorOutcome {
  exit: ExitState;
  scheduler: Scheduler;
  monitor: QueueMonitor;
  /** Where the plot was written. */
  file: string;
  /** The shortest trial, in ms: the "best configuration" of this search. */
  best: number;
}

export async function main(log: Log = console.log, file?: string): Promise<MonitorOutcome> {
  const out = file ?? join(mkdtempSync(join(tmpdir(), "amltk-monitor-")), "random-search.svg");
  const scheduler = makeScheduler({ workers: WORKERS });
  // The worker count comes from the executor: 4 processes, or 1 in-process slot.
  const monitor = new QueueMonitor(scheduler);
  const trial = scheduler.task(work.sleep, { name: "trial" });
  const random = seededRandom(7);
  let submitted = 0;
  let best = Number.POSITIVE_INFINITY;

  // A trial "costs" between 20 and 200 ms; the search keeps the cheapest.
  const submitTrial = () => {
    if (submitted >= TRIALS || !scheduler.running()) return;
    submitted++;
    trial.submit(20 + Math.round(random() * 180));
  };

  scheduler.onStart(function fillTheWorkers() {
    for (let i = 0; i < WORKERS + QUEUE_AHEAD; i++) submitTrial();
  });
  trial.onResult(function keepTheBestAndSubmitAnother(_future, ms) {
    best = Math.min(best, ms);
    submitTrial();
  });

  const exit = await scheduler.run();
  monitor.close();
  monitor.plot({ file: out, title: `Random search: ${TRIALS} trials on ${scheduler.executor.kind}` });
  log(`run ended: ${exit.code} after ${trial.onResult.count} trials; best ${best} ms`);
  log(`utilisation ${(monitor.utilisation() * 100).toFixed(0)} %; plot written to ${out}`);
  return { exit, scheduler, monitor, file: out, best };
}

if (isMain(import.meta.url)) await main(console.log, process.argv[2]);
