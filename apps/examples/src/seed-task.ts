/**
 * Example: extending Task with an event of its own. `SeedTask` runs `randomRun(seed)` and
 * watches its own results; whenever a seed beats the longest run seen so far, it emits
 * `longest-run`, which users subscribe to with `onLongestRun` like any built-in event.
 */

import {
  Event,
  Task,
  type Callable,
  type ExitState,
  type Scheduler,
  type Subscriber,
  type TaskOptions,
} from "@amltk/scheduler";
import { isMain, makeScheduler, work, type Log } from "./setup.js";

/** What `randomRun` returns. */
export type Run = [count: number, seed: number];

/**
 * A task over seeds that reports each new longest run.
 *
 * @example
 * ```ts
 * const task = new SeedTask(work.randomRun, scheduler);
 * task.onLongestRun((count, seed) => console.log(count, seed));
 * ```
 */
export class SeedTask extends Task<[seed: number], Run> {
  static readonly LONGEST_RUN = new Event<Run>("longest-run");

  /** `(count, seed)` each time a seed beats every earlier one. */
  readonly onLongestRun: Subscriber<Run> = this.subscriber(SeedTask.LONGEST_RUN);

  /** The longest run so far, `undefined` before the first result. */
  best: Run | undefined;

  constructor(fn: Callable<(seed: number) => Run>, scheduler: Scheduler, options?: TaskOptions) {
    super(fn, scheduler, options);
    // Registered before any user callback, so `longest-run` fires before theirs see the result.
    this.onResult((_future, run) => this.#checkLongestRun(run), { name: "checkLongestRun" });
  }

  #checkLongestRun([count, seed]: Run): void {
    if (this.best !== undefined && count <= this.best[0]) return;
    this.best = [count, seed];
    this.onLongestRun.emit(count, seed);
  }
}

export interface SeedTaskOutcome {
  /** Count per seed. */
  counts: Map<number, number | undefined>;
  /** Every `longest-run` emission, in order. */
  longest: Run[];
  best: Run | undefined;
  exit: ExitState;
  scheduler: Scheduler;
}

export async function main(log: Log = console.log, seeds = 10): Promise<SeedTaskOutcome> {
  const scheduler = makeScheduler({ workers: 4 });
  const task = new SeedTask(work.randomRun, scheduler);
  const counts = new Map<number, number | undefined>();
  const longest: Run[] = [];

  // Each of the `seeds` calls takes the next unused seed.
  scheduler.onStart(
    function submitNextSeed() {
      const seed = counts.size;
      counts.set(seed, undefined);
      task.submit(seed);
    },
    { repeat: seeds },
  );

  task.onResult(function onReturned(_future, [count, seed]) {
    counts.set(seed, count);
    log(`seed ${seed}: ${count}`);
  });

  task.onLongestRun(function onLongestRun(count, seed) {
    longest.push([count, seed]);
    log(`Longest run so far: ${count} (seed ${seed})`);
  });

  const exit = await scheduler.run();
  if (task.best !== undefined) log(`best: ${task.best[0]} (seed ${task.best[1]})`);
  return { counts, longest, best: task.best, exit, scheduler };
}

if (isMain(import.meta.url)) await main();
