/**
 * The compute functions the examples submit. Examples never call these directly: they name
 * them through `work` from `./setup.js` (a `fromModule` reference to this file), so that an
 * executor in another thread or process can import this module and run the very same code.
 * Keep this module free of side effects at import time for that reason.
 */

import { setTimeout as delay } from "node:timers/promises";
import { taskContext } from "@amltk/scheduler";
import { seededRandom } from "./rng.js";

/**
 * The error the failing functions throw, named after Python's so the examples read like the
 * guide. Exported from this module so executors can rebuild it across process boundaries.
 */
export class ValueError extends Error {
  override readonly name = "ValueError";
}

/** The error classes `fail` can throw, by name (a class cannot be sent to a worker). */
export type FailureKind = "ValueError" | "TypeError" | "RangeError";

/**
 * One step of the Collatz sequence.
 *
 * @example
 * ```ts
 * collatz(12); // 6
 * collatz(5); // 16
 * ```
 */
export function collatz(n: number): number {
  return n % 2 === 0 ? n / 2 : 3 * n + 1;
}

/**
 * The guide's stand-in for expensive work: `2 ** x`.
 *
 * @example
 * ```ts
 * expensive(4); // 16
 * ```
 */
export function expensive(x: number): number {
  return 2 ** x;
}

/**
 * `x ** 2`.
 *
 * @example
 * ```ts
 * square(3); // 9
 * ```
 */
export function square(x: number): number {
  return x ** 2;
}

/**
 * `x * 2`; refuses negative numbers, so the task-chain example has a failure to react to.
 *
 * @example
 * ```ts
 * double(3); // 6
 * double(-1); // throws ValueError
 * ```
 */
export function double(x: number): number {
  if (x < 0) throw new ValueError(`cannot double a negative number (${x})`);
  return x * 2;
}

/**
 * Returns its message unchanged.
 *
 * @example
 * ```ts
 * echo("hi"); // "hi"
 * ```
 */
export function echo(message: string): string {
  return message;
}

/**
 * The identity on numbers (the guide's `my_func`), for examples about limits, not results.
 *
 * @example
 * ```ts
 * myFunc(7); // 7
 * ```
 */
export function myFunc(x: number): number {
  return x;
}

/**
 * Waits `ms` milliseconds, then resolves with `ms`. It listens to the call's cancellation
 * signal: a cancelled call stops waiting at once, so a cancelled ten-second nap does not keep
 * the process alive for ten seconds after the run has ended.
 *
 * @example
 * ```ts
 * scheduler.submit(work.sleep, 100); // resolves with 100 after 100 ms
 * ```
 */
export async function sleep(ms: number): Promise<number> {
  await delay(ms, undefined, { signal: taskContext().signal });
  return ms;
}

/**
 * Always throws: a `ValueError` by default, or the built-in class named by `kind`.
 *
 * @example
 * ```ts
 * fail("Failed!"); // throws ValueError: Failed!
 * fail("bad type", "TypeError"); // throws TypeError: bad type
 * ```
 */
export function fail(message: string, kind: FailureKind = "ValueError"): never {
  switch (kind) {
    case "TypeError":
      throw new TypeError(message);
    case "RangeError":
      throw new RangeError(message);
    default:
      throw new ValueError(message);
  }
}

/**
 * Draws numbers from a generator seeded with `seed` and counts how many in a row stay
 * below 0.9. Returns `[count, seed]`; the same seed always gives the same count.
 *
 * @example
 * ```ts
 * const [count, seed] = randomRun(3);
 * ```
 */
export function randomRun(seed: number): [count: number, seed: number] {
  const random = seededRandom(seed);
  let count = 0;
  while (random() < 0.9) count++;
  return [count, seed];
}

/**
 * What `train` reports after each epoch with `taskContext().send`.
 *
 * @example
 * ```ts
 * task.onMessage((_f, data) => console.log((data as EpochReport).loss));
 * ```
 */
export interface EpochReport {
  epoch: number;
  /** The loss after this epoch. */
  loss: number;
  /** The learning rate this epoch was trained with. */
  learningRate: number;
}

/**
 * What `train` asks with `taskContext().request` before each epoch: its rate for it.
 *
 * @example
 * ```ts
 * task.onRequest((_f, data, respond) => respond(schedule.next((data as RateRequest).loss)));
 * ```
 */
export interface RateRequest {
  epoch: number;
  /** The loss so far (before this epoch), for the main side's schedule to judge. */
  loss: number;
}

/**
 * What `train` returns.
 *
 * @example
 * ```ts
 * task.onResult((_f, { learningRates, loss }) => console.log(learningRates, loss));
 * ```
 */
export interface TrainingResult {
  /** The learning rate of each epoch, in order, as the main side answered. */
  learningRates: number[];
  weight: number;
  loss: number;
}

/**
 * A training loop small enough to follow by hand: gradient descent on `loss(w) = w ** 2`
 * from `w = 1`, so an epoch with learning rate `lr` computes `w = w * (1 - 2 * lr)`. A rate
 * above 1 makes the loss grow, which gives the main side's schedule something to correct.
 * Before each epoch it asks its task for the rate with `taskContext().request({ epoch,
 * loss })`; after it, it reports `{ epoch, loss, learningRate }` with `send`.
 *
 * @example
 * ```ts
 * const task = scheduler.task(work.train);
 * task.onRequest((_future, _asked, respond) => respond(0.1));
 * task.onMessage((_future, report) => console.log(report));
 * scheduler.onStart(() => task.submit(5));
 * ```
 */
export async function train(epochs: number): Promise<TrainingResult> {
  const context = taskContext();
  const learningRates: number[] = [];
  let weight = 1;
  let loss = weight ** 2;
  for (let epoch = 1; epoch <= epochs && !context.signal.aborted; epoch++) {
    const asked: RateRequest = { epoch, loss };
    // A bound on the wait, so a main side that never answers fails the call instead of
    // hanging it; generous because a busy machine may take a while to answer.
    const learningRate = await context.request(asked, { timeout: 30_000 });
    if (typeof learningRate !== "number" || !(learningRate > 0)) {
      throw new ValueError(`epoch ${epoch}: the learning rate must be a positive number, got ${String(learningRate)}`);
    }
    learningRates.push(learningRate);
    weight = weight * (1 - 2 * learningRate);
    loss = weight ** 2;
    const report: EpochReport = { epoch, loss, learningRate };
    context.send(report);
  }
  return { learningRates, weight, loss };
}
