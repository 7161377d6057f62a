/**
 * Example: the collatz chain, the guide's opening example. The start callback submits 12;
 * each result is recorded and submitted again until the sequence reaches 1, at which point
 * the run has no work left and ends by itself (EXHAUSTED), well within its timeout. The
 * timeout is only a guard against a chain that never ends; it is generous because on the
 * processes executor the first call also waits for a fresh Node process to start.
 */

import type { ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, work, type Log } from "./setup.js";

export interface CollatzOutcome {
  /** The sequence from 12 down to 1. */
  answers: number[];
  exit: ExitState;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log, { display = false } = {}): Promise<CollatzOutcome> {
  const scheduler = makeScheduler({ workers: 1 });
  const task = scheduler.task(work.collatz);
  const answers: number[] = [];

  scheduler.onStart(function startComputing() {
    answers.push(12);
    task.submit(12);
  });

  task.onResult(function computeNext(_future, next) {
    answers.push(next);
    // The guide's Python writes `running() or n != 1`; the chain must stop at 1, so both must hold.
    if (next !== 1 && scheduler.running()) task.submit(next);
  });

  const exit = await scheduler.run({ timeout: 10_000, display });
  log(answers);
  log(`run ended: ${exit.code}`);
  return { answers, exit, scheduler };
}

if (isMain(import.meta.url)) await main();
