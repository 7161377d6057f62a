/**
 * What a backend can and cannot do. The suite skips the cases a backend cannot pass, and
 * names them in the skip, so a skipped case is visible in every report.
 */

import type { Executor } from "@amltk/scheduler";

/** Profile of an executor the suite asks the factory for. */
export interface ExecutorProfile {
  /** Calls that may run at once. */
  readonly maxWorkers: number;
  /** Calls a worker runs before it is replaced (recycling case only). */
  readonly maxTasksPerWorker?: number;
  /** Memory limit of a worker in MB (memory case only). */
  readonly memoryLimitMb?: number;
  /** Milliseconds a cancelled running call gets before its worker is terminated. */
  readonly cancelGraceMs?: number;
}

/** Makes a fresh executor for a profile. */
export type MakeExecutor = (profile: ExecutorProfile) => Executor;

/** What the backend can do; every flag defaults to false. */
export interface ExecutorCapabilities {
  /** Runs calls in another thread/process/machine: refuses plain functions, values cross a boundary. */
  readonly outOfProcess?: boolean;
  /** Can stop a running call that ignores its signal (terminate the worker). */
  readonly terminate?: boolean;
  /** Survives a worker that exits or crashes mid-call. */
  readonly crash?: boolean;
  /** Supports `maxTasksPerWorker`. */
  readonly recycle?: boolean;
  /** Supports a per-worker memory limit. */
  readonly memoryLimit?: boolean;
  /**
   * Makes an executor whose workers speak another protocol version (for the end-to-end
   * protocol-mismatch case): every call must fail with `ProtocolVersionError`, once per
   * connection, and the run must end.
   */
  readonly protocolMismatch?: (profile: ExecutorProfile) => Executor;
  /**
   * The workers an executor has alive right now: their count, and their process ids when
   * they are processes (the suite checks those pids are gone after a run).
   */
  readonly inspect?: (executor: Executor) => { live: number; pids?: readonly number[] };
}
