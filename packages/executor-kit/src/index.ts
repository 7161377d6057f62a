/**
 * @amltk/executor-kit: the main side every out-of-process executor shares. A transport
 * supplies `WorkerConnection`s (and a `WorkerSpawner` for workers it starts itself);
 * `WorkerPool` does the rest: queue, dispatch, prefetch, rebalance, requeue on loss, cancel
 * grace, boot-failure limit, shutdown and Comm.
 *
 * @example
 * ```ts
 * import { WorkerPool, type WorkerConnection } from "@amltk/executor-kit";
 * const pool = new WorkerPool({ kind: "mine", spawner: { spawn: () => connect() }, maxWorkers: 2,
 *   prefetch: 16, maxTasksPerWorker: Infinity, cancelGraceMs: 1000, peer: "a worker" });
 * ```
 */
export type { WorkerConnection, WorkerLoss, WorkerSpawner } from "./connection.js";
export { Deque } from "@amltk/task/worker";
export { CallDurations } from "./durations.js";
export { MAX_BOOT_FAILURES, WorkerPool, type PoolWorkerInfo, type WorkerPoolOptions } from "./pool.js";
