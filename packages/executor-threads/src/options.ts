/**
 * The options of the threads executor, their defaults and their validation.
 */

import { availableParallelism } from "node:os";
import { getHeapStatistics } from "node:v8";
import type { ResourceLimits } from "node:worker_threads";
import { InvalidArgumentError, checkOptions } from "@amltk/events";

/** Options for `threads()`. */
export interface ThreadsOptions {
  /**
   * How many calls run at once, each in its own worker thread.
   * @default os.availableParallelism()
   */
  maxWorkers?: number;
  /**
   * Worker threads kept alive while the executor is started, even when idle. Raising it
   * trades memory for a faster first call.
   * @default 0
   */
  minWorkers?: number;
  /**
   * Milliseconds an idle worker above `minWorkers` lives before it is ended. `Infinity`
   * keeps workers until the run ends.
   * @default 30_000
   */
  idleTimeout?: number;
  /**
   * Memory limits of each worker (`maxOldGenerationSizeMb` and friends, as for
   * `new Worker()`). A call that overruns them fails with `WorkerMemoryLimitError` and its
   * worker is replaced. `maxOldGenerationSizeMb` defaults to half the main thread's heap
   * limit (`defaultMaxOldGenerationSizeMb()`), also when other limits are given: a worker
   * with the main thread's own limit could exhaust the process's memory, and V8 would abort
   * the whole program instead of failing the one call.
   * @default { maxOldGenerationSizeMb: defaultMaxOldGenerationSizeMb() }
   */
  resourceLimits?: ResourceLimits;
  /**
   * Calls a worker runs before it is replaced by a fresh one (for leaky native code or
   * module state). `Infinity` never recycles.
   * @default Infinity
   */
  maxTasksPerWorker?: number;
  /**
   * Node options of the workers. By default they inherit the main thread's, so a loader
   * such as `tsx` reaches them.
   * @default process.execArgv
   */
  execArgv?: string[];
  /**
   * Environment of the workers.
   * @default process.env (shared with the main thread, as for `new Worker()`)
   */
  env?: Record<string, string | undefined>;
  /**
   * Milliseconds a cancelled running call has to return after its `taskContext().signal`
   * is aborted before its worker is terminated.
   * @default 1000
   */
  cancelGraceMs?: number;
}

/** `ThreadsOptions` with every default filled in. */
export interface ResolvedThreadsOptions {
  readonly maxWorkers: number;
  readonly minWorkers: number;
  readonly idleTimeout: number;
  readonly resourceLimits: ResourceLimits;
  readonly maxTasksPerWorker: number;
  readonly execArgv: string[] | undefined;
  readonly env: Record<string, string | undefined> | undefined;
  readonly cancelGraceMs: number;
}

/**
 * The default `resourceLimits.maxOldGenerationSizeMb` of a worker: half the main thread's
 * heap limit (`v8.getHeapStatistics().heap_size_limit`, which follows
 * `--max-old-space-size`), at least 16 MB.
 *
 * @example
 * ```ts
 * defaultMaxOldGenerationSizeMb(); // 2072 where the main thread's limit is 4144 MB
 * ```
 */
export function defaultMaxOldGenerationSizeMb(): number {
  return Math.max(16, Math.floor(getHeapStatistics().heap_size_limit / (1024 * 1024) / 2));
}

function positiveInteger(name: string, value: number, allowInfinity = false, min = 1): number {
  if ((allowInfinity && value === Number.POSITIVE_INFINITY) || (Number.isInteger(value) && value >= min)) return value;
  throw new InvalidArgumentError(
    `options.${name}`,
    `an integer >= ${min}${allowInfinity ? " or Infinity" : ""}`,
    value,
  );
}

/** Every key of `ThreadsOptions`, so a misspelt one (`maxWorker`) fails instead of being ignored. */
const KNOWN_OPTIONS: readonly (keyof ThreadsOptions)[] = [
  "maxWorkers",
  "minWorkers",
  "idleTimeout",
  "resourceLimits",
  "maxTasksPerWorker",
  "execArgv",
  "env",
  "cancelGraceMs",
];

/**
 * Validates `options` and fills in the defaults.
 *
 * @example
 * ```ts
 * resolveThreadsOptions({ maxWorkers: 2 }).maxWorkers; // 2
 * resolveThreadsOptions({ maxWorker: 2 } as ThreadsOptions); // throws InvalidArgumentError
 * ```
 */
export function resolveThreadsOptions(options: ThreadsOptions = {}): ResolvedThreadsOptions {
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("options", "an object", options);
  }
  checkOptions("options", options as unknown, KNOWN_OPTIONS);
  const maxWorkers = positiveInteger("maxWorkers", options.maxWorkers ?? availableParallelism());
  const minWorkers = positiveInteger("minWorkers", options.minWorkers ?? 0, false, 0);
  if (minWorkers > maxWorkers) {
    throw new InvalidArgumentError("options.minWorkers", `at most maxWorkers (${maxWorkers})`, minWorkers);
  }
  const idleTimeout = options.idleTimeout ?? 30_000;
  if (!(idleTimeout === Number.POSITIVE_INFINITY || (Number.isFinite(idleTimeout) && idleTimeout >= 0))) {
    throw new InvalidArgumentError("options.idleTimeout", "a number of milliseconds >= 0 or Infinity", idleTimeout);
  }
  const maxTasksPerWorker = positiveInteger("maxTasksPerWorker", options.maxTasksPerWorker ?? Number.POSITIVE_INFINITY, true);
  const cancelGraceMs = options.cancelGraceMs ?? 1000;
  if (!Number.isFinite(cancelGraceMs) || cancelGraceMs < 0) {
    throw new InvalidArgumentError("options.cancelGraceMs", "a finite number of milliseconds >= 0", cancelGraceMs);
  }
  if (options.execArgv !== undefined && !(Array.isArray(options.execArgv) && options.execArgv.every((a) => typeof a === "string"))) {
    throw new InvalidArgumentError("options.execArgv", "an array of strings", options.execArgv);
  }
  return {
    maxWorkers,
    minWorkers,
    idleTimeout,
    resourceLimits: resolveResourceLimits(options.resourceLimits),
    maxTasksPerWorker,
    execArgv: options.execArgv,
    env: options.env,
    cancelGraceMs,
  };
}

/** `resourceLimits` with the default old-generation limit filled in. */
function resolveResourceLimits(limits: ResourceLimits | undefined): ResourceLimits {
  if (limits !== undefined && (typeof limits !== "object" || limits === null || Array.isArray(limits))) {
    throw new InvalidArgumentError("options.resourceLimits", "an object of limits such as { maxOldGenerationSizeMb: 512 }", limits);
  }
  checkOptions("options.resourceLimits", limits as unknown, [
    "maxOldGenerationSizeMb",
    "maxYoungGenerationSizeMb",
    "codeRangeSizeMb",
    "stackSizeMb",
  ]);
  for (const [key, value] of Object.entries(limits ?? {})) {
    if (value !== undefined && !(typeof value === "number" && Number.isFinite(value) && value > 0)) {
      throw new InvalidArgumentError(`options.resourceLimits.${key}`, "a number of MB > 0", value);
    }
  }
  return { ...limits, maxOldGenerationSizeMb: limits?.maxOldGenerationSizeMb ?? defaultMaxOldGenerationSizeMb() };
}
