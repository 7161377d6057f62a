/**
 * What every example shares: `work`, the reference to the compute functions; `makeScheduler`,
 * which picks the executor from the `AMLTK_EXECUTOR` environment variable so the same
 * examples run in-process, on worker threads or on child processes; and `isMain`, which
 * lets each example run on its own with `node dist/<example>.js`.
 */

import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { processes } from "@amltk/executor-processes";
import { threads } from "@amltk/executor-threads";
import { AmltkError, Scheduler, SequentialExecutor, fromModule, type Executor } from "@amltk/scheduler";

/**
 * The functions of `./work.js`, as references: an executor in another thread or process
 * imports that module itself, because a closure cannot travel between processes.
 *
 * @example
 * ```ts
 * const task = scheduler.task(work.collatz); // Task<[n: number], number>
 * ```
 */
export const work = fromModule<typeof import("./work.js")>(new URL("./work.js", import.meta.url));

/** Where an example prints; `console.log` by default, a collector in the tests. */
export type Log = (...values: unknown[]) => void;

/** What an example asks of its executor. */
export interface ExecutorWishes {
  /**
   * How many workers the guide's version of the example uses. Pool executors honour it as
   * `maxWorkers` (unset: the pool's own default, one per core); the sequential executor runs
   * one call at a time regardless.
   */
  workers?: number;
}

/** `{ maxWorkers }` when the example states a wish, else nothing (the pool's default). */
function poolSize({ workers }: ExecutorWishes): { maxWorkers?: number } {
  return workers === undefined ? {} : { maxWorkers: workers };
}

/**
 * The executors `AMLTK_EXECUTOR` can name. A backend joins the examples by adding an entry
 * here; nothing else changes.
 */
const executors: Record<string, (wishes: ExecutorWishes) => Executor> = {
  sequential: () => new SequentialExecutor(),
  threads: (wishes) => threads(poolSize(wishes)),
  processes: (wishes) => processes(poolSize(wishes)),
};

/** The names `AMLTK_EXECUTOR` accepts. */
export const availableExecutors: readonly string[] = Object.keys(executors);

/**
 * `AMLTK_EXECUTOR` names an executor the examples do not have.
 *
 * @example
 * ```ts
 * // AMLTK_EXECUTOR=gpu node dist/collatz.js
 * // UnknownExecutorError: AMLTK_EXECUTOR="gpu" is not an available executor; available: sequential, threads, processes.
 * ```
 */
export class UnknownExecutorError extends AmltkError {
  override readonly name = "UnknownExecutorError";
  /** The value that was asked for. */
  readonly requested: string;
  /** What could have been asked for. */
  readonly available: readonly string[];

  constructor(requested: string, available: readonly string[]) {
    super(
      `AMLTK_EXECUTOR=${JSON.stringify(requested)} is not an available executor; available: ${available.join(", ")}.`,
      { code: "ERR_AMLTK_EXAMPLES_UNKNOWN_EXECUTOR" },
    );
    this.requested = requested;
    this.available = available;
  }
}

/**
 * A scheduler on the executor named by `AMLTK_EXECUTOR` (unset or empty: `sequential`;
 * `threads` and `processes` are pools of `wishes.workers` workers).
 * The variable is read on every call, not at import, so a test can change it.
 *
 * @throws UnknownExecutorError when the variable names no available executor.
 * @example
 * ```ts
 * const scheduler = makeScheduler({ workers: 2 });
 * ```
 */
export function makeScheduler(wishes: ExecutorWishes = {}): Scheduler {
  const requested = process.env["AMLTK_EXECUTOR"]?.trim() || "sequential";
  const factory = Object.hasOwn(executors, requested) ? executors[requested] : undefined;
  if (factory === undefined) throw new UnknownExecutorError(requested, availableExecutors);
  return new Scheduler({ executor: factory(wishes) });
}

/**
 * Whether the module at `moduleUrl` is the script node was started with, so an example can
 * run itself when executed directly but stay quiet when a test or the demo imports it.
 *
 * @example
 * ```ts
 * if (isMain(import.meta.url)) await main();
 * ```
 */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  const self = fileURLToPath(moduleUrl);
  // `node dist/collatz` is as valid as `node dist/collatz.js`.
  for (const candidate of [script, `${script}.js`]) {
    try {
      if (realpathSync(candidate) === realpathSync(self)) return true;
    } catch {
      // Not a file: try the next spelling.
    }
  }
  return false;
}
