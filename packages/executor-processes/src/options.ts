/**
 * The options of the processes executor, their defaults and their validation.
 */

import { availableParallelism } from "node:os";
import { InvalidArgumentError, checkOptions } from "@amltk/events";

/** Options for `processes()`. */
export interface ProcessesOptions {
  /**
   * How many calls run at once, each in its own child process.
   * @default os.availableParallelism()
   */
  maxWorkers?: number;
  /**
   * Calls a child runs before it is replaced by a fresh one. `Infinity` never recycles.
   * @default Infinity
   */
  maxTasksPerWorker?: number;
  /**
   * Node options of the children. By default they inherit the parent's, so a loader such
   * as `tsx` reaches them.
   * @default process.execArgv
   */
  execArgv?: string[];
  /**
   * Environment of the children.
   * @default process.env
   */
  env?: Record<string, string | undefined>;
  /**
   * Old-space heap limit of each child in MB (`--max-old-space-size`). A call that overruns
   * it fails with `WorkerMemoryLimitError` and its child is replaced.
   * @default undefined (Node's default)
   */
  memoryLimitMb?: number;
  /**
   * Milliseconds a cancelled running call has to return after its `taskContext().signal`
   * is aborted before its child gets SIGTERM, and again before SIGKILL.
   * @default 1000
   */
  cancelGraceMs?: number;
  /**
   * Calls a busy child may hold queued behind the one it runs, so it starts the next call the
   * moment it answers (no round trip through the parent). Queued calls still start only when
   * the child is free, are marked running only then, can be cancelled before they start, and
   * go back to the parent's queue if the child dies or another child is idle. `0` sends a
   * child one call at a time. Deep enough that, with many calls waiting, a child always has
   * the next ones at hand and one write carries many of them (the reference workload with 64
   * in flight ran at about half its throughput with 1).
   * @default 16
   */
  prefetch?: number;
  /**
   * Whether each line a child writes to stdout or stderr is prefixed with `[worker <pid>] `
   * on the parent's stdout or stderr.
   * @default true
   */
  prefixOutput?: boolean;
}

/** `ProcessesOptions` with every default filled in. */
export interface ResolvedProcessesOptions {
  readonly maxWorkers: number;
  readonly maxTasksPerWorker: number;
  readonly execArgv: string[] | undefined;
  readonly env: Record<string, string | undefined> | undefined;
  readonly memoryLimitMb: number | undefined;
  readonly cancelGraceMs: number;
  readonly prefixOutput: boolean;
  readonly prefetch: number;
}

/** Every key of `ProcessesOptions`, so a misspelt one (`maxWorker`) fails instead of being ignored. */
const KNOWN_OPTIONS: readonly (keyof ProcessesOptions)[] = [
  "maxWorkers",
  "maxTasksPerWorker",
  "execArgv",
  "env",
  "memoryLimitMb",
  "cancelGraceMs",
  "prefetch",
  "prefixOutput",
];

/**
 * Validates `options` and fills in the defaults.
 *
 * @example
 * ```ts
 * resolveProcessesOptions({ maxWorkers: 2 }).maxWorkers; // 2
 * resolveProcessesOptions({ maxWorker: 2 } as ProcessesOptions); // throws InvalidArgumentError
 * ```
 */
export function resolveProcessesOptions(options: ProcessesOptions = {}): ResolvedProcessesOptions {
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("options", "an object", options);
  }
  checkOptions("options", options as unknown, KNOWN_OPTIONS);
  const maxWorkers = options.maxWorkers ?? availableParallelism();
  if (!Number.isInteger(maxWorkers) || maxWorkers < 1) {
    throw new InvalidArgumentError("options.maxWorkers", "an integer >= 1", maxWorkers);
  }
  const maxTasksPerWorker = options.maxTasksPerWorker ?? Number.POSITIVE_INFINITY;
  if (!(maxTasksPerWorker === Number.POSITIVE_INFINITY || (Number.isInteger(maxTasksPerWorker) && maxTasksPerWorker >= 1))) {
    throw new InvalidArgumentError("options.maxTasksPerWorker", "an integer >= 1 or Infinity", maxTasksPerWorker);
  }
  const { memoryLimitMb } = options;
  if (memoryLimitMb !== undefined && (!Number.isInteger(memoryLimitMb) || memoryLimitMb < 16)) {
    throw new InvalidArgumentError("options.memoryLimitMb", "an integer >= 16", memoryLimitMb);
  }
  const cancelGraceMs = options.cancelGraceMs ?? 1000;
  if (!Number.isFinite(cancelGraceMs) || cancelGraceMs < 0) {
    throw new InvalidArgumentError("options.cancelGraceMs", "a finite number of milliseconds >= 0", cancelGraceMs);
  }
  if (options.execArgv !== undefined && !(Array.isArray(options.execArgv) && options.execArgv.every((a) => typeof a === "string"))) {
    throw new InvalidArgumentError("options.execArgv", "an array of strings", options.execArgv);
  }
  const prefetch = options.prefetch ?? 16;
  if (!Number.isInteger(prefetch) || prefetch < 0) {
    throw new InvalidArgumentError("options.prefetch", "an integer >= 0", prefetch);
  }
  return {
    prefetch,
    maxWorkers,
    maxTasksPerWorker,
    execArgv: options.execArgv,
    env: options.env,
    memoryLimitMb,
    cancelGraceMs,
    prefixOutput: options.prefixOutput ?? true,
  };
}
