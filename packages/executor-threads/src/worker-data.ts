/**
 * What the main thread hands every worker at start (`workerData`): the name of its message
 * channels, when to retire, and the shared table a retiring worker marks itself in.
 */

/** Slots in the shared retirement table; a worker marks slot `threadId % RETIRED_SLOTS`. */
export const RETIRED_SLOTS = 1024;

/** The `workerData` of every worker of one executor. */
export interface ThreadsWorkerData {
  /** The executor's channel name; see `downChannel` and `upChannel`. */
  readonly channel: string;
  /** Calls a worker runs before it retires (`Infinity`: never). */
  readonly maxTasksPerWorker: number;
  /**
   * Shared table of retiring workers: a worker writes its thread id into its slot before it
   * answers its last call, so the pool's load balancer, which runs in the main thread
   * before any promise callback, never hands it another call.
   */
  readonly retired: Int32Array;
}

/** The BroadcastChannel on which the main thread posts cancels and Comm responses. */
export function downChannel(channel: string): string {
  return `${channel}:down`;
}

/** The BroadcastChannel on which workers post `started`, Comm and warnings. */
export function upChannel(channel: string): string {
  return `${channel}:up`;
}

/** What a worker posts on the up channel once it listens on the down channel. */
export const READY = "ready";
