/**
 * The raw threads transport: piscina's own `run()`, the thing `@amltk/executor-threads` is
 * built on, with the same number of worker threads, each running the reference call. No
 * protocol messages, no queue in front of piscina, no cancellation: the floor.
 */

import { Piscina } from "piscina";
import type { RawTransport } from "../workload.js";

const WORKER = new URL("./piscina-worker.js", import.meta.url).href;

/**
 * A piscina pool of `workers` threads, created in `start()` so that pool start-up is on the
 * clock of the first result, as it is for the executor. Every `call` is `pool.run(x)`;
 * piscina queues what its workers cannot take yet.
 *
 * @example
 * ```ts
 * await runRawWorkload(() => piscinaTransport(2), { n: 20_000, inFlight: 64 });
 * ```
 */
export function piscinaTransport(workers: number): RawTransport {
  let pool: Piscina | undefined;
  return {
    async start() {
      // Piscina's defaults otherwise, as a user would have them (atomics, queue, balancer).
      pool = new Piscina({ filename: WORKER, minThreads: workers, maxThreads: workers, idleTimeout: 30_000 });
    },
    call: (x) => pool!.run(x) as Promise<number>,
    async close() {
      await pool?.destroy();
      pool = undefined;
    },
  };
}
