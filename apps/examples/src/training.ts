/**
 * Example (amltk-ts addition, Comm): a training loop that talks to the main side while it
 * runs. Before each epoch the call asks its task for a learning rate
 * (`taskContext().request`); after it, it reports the epoch's loss (`taskContext().send`).
 * The main side keeps the schedule: it halves the rate whenever the loss it is shown is no
 * better than the best so far, and prints a progress line for every report.
 */

import type { ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, work, type Log } from "./setup.js";
import type { EpochReport, RateRequest, TrainingResult } from "./work.js";

/**
 * The rate of the first epoch: deliberately too large, so the schedule has work to do.
 *
 * @example
 * ```ts
 * new RateSchedule(INITIAL_LEARNING_RATE).next(1); // 1.5
 * ```
 */
export const INITIAL_LEARNING_RATE = 1.5;

/**
 * The main side's learning-rate schedule (like a reduce-on-plateau schedule): keep the rate
 * while the loss improves on the best seen, halve it when it does not.
 *
 * @example
 * ```ts
 * const schedule = new RateSchedule(1.5);
 * schedule.next(1); // 1.5 (first loss: the best so far)
 * schedule.next(4); // 0.75 (worse than 1: halved)
 * ```
 */
export class RateSchedule {
  #rate: number;
  #best = Number.POSITIVE_INFINITY;

  constructor(initialRate: number) {
    this.#rate = initialRate;
  }

  /** The rate for the next epoch, given the loss so far. */
  next(loss: number): number {
    if (loss < this.#best) this.#best = loss;
    else this.#rate /= 2;
    return this.#rate;
  }
}

/**
 * What `main` returns, for the tests to check.
 *
 * @example
 * ```ts
 * const { answers, result } = await main();
 * result?.learningRates; // the rates in `answers`, in order
 * ```
 */
export interface TrainingOutcome {
  /** The progress reports, in the order the task emitted `message`. */
  reports: EpochReport[];
  /** The rate the main side answered for each epoch, in the order it answered. */
  answers: { epoch: number; learningRate: number }[];
  /** `request <epoch>`, `message <epoch>` and `result`, in the order the task emitted them. */
  trail: string[];
  result: TrainingResult | undefined;
  exit: ExitState;
  scheduler: Scheduler;
}

/**
 * Trains for `epochs` epochs on the executor `AMLTK_EXECUTOR` names, answering each epoch's
 * rate request from a `RateSchedule` and printing a line per progress report.
 *
 * @example
 * ```ts
 * const { exit } = await main(console.log, 6); // prints "epoch 1/6: loss 4.0000 (learning rate 1.5)", ...
 * ```
 */
export async function main(log: Log = console.log, epochs = 6): Promise<TrainingOutcome> {
  const scheduler = makeScheduler({ workers: 1 });
  const trainer = scheduler.task(work.train);
  const schedule = new RateSchedule(INITIAL_LEARNING_RATE);
  const reports: EpochReport[] = [];
  const answers: TrainingOutcome["answers"] = [];
  const trail: string[] = [];
  let result: TrainingResult | undefined;

  scheduler.onStart(function startTraining() {
    trainer.submit(epochs);
  });

  // The call asks before each epoch; the answer comes from the schedule kept here.
  trainer.onRequest(function answerLearningRate(_future, data, respond) {
    const { epoch, loss } = data as RateRequest;
    trail.push(`request ${epoch}`);
    const learningRate = schedule.next(loss);
    answers.push({ epoch, learningRate });
    respond(learningRate);
  });

  trainer.onMessage(function printProgress(_future, data) {
    const report = data as EpochReport;
    trail.push(`message ${report.epoch}`);
    reports.push(report);
    log(`epoch ${report.epoch}/${epochs}: loss ${report.loss.toFixed(4)} (learning rate ${report.learningRate})`);
  });

  trainer.onResult(function printResult(_future, trained) {
    trail.push("result");
    result = trained;
    log(`trained: loss ${trained.loss.toFixed(4)}, learning rates ${trained.learningRates.join(", ")}`);
  });

  const exit = await scheduler.run();
  return { reports, answers, trail, result, exit, scheduler };
}

if (isMain(import.meta.url)) await main();
