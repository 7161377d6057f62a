/**
 * What the main thread hands every worker at start (`workerData`): where cancel requests
 * arrive, when to retire, and the shared table a retiring worker marks itself in.
 */

/** Slots in the shared retirement table; a worker marks slot `threadId % RETIRED_SLOTS`. */
export const RETIRED_SLOTS = 1024;

/** The `workerData` of every worker of one executor. */
export interface ThreadsWorkerData {
  /** Name of the BroadcastChannel on which the main thread posts ids of cancelled calls. */
  readonly cancelChannel: string;
  /** Calls a worker runs before it retires (`Infinity`: never). */
  readonly maxTasksPerWorker: number;
  /**
   * Shared table of retiring workers: a worker writes its thread id into its slot before it
   * answers its last call, so the pool's load balancer, which runs in the main thread
   * before any promise callback, never hands it another call.
   */
  readonly retired: Int32Array;
}

/** What a worker posts on the cancel channel once it listens to it. */
export const READY = "ready";
