/**
 * The in-process "raw transport": the reference call run on a microtask and delivered
 * through a promise, with no scheduler, no futures and no events. It is the floor that
 * `SequentialExecutor` is compared to, as piscina will be for the threads executor.
 */

import type { RawTransport } from "../workload.js";
import { increment } from "../work.js";

/**
 * A transport that runs `increment` one microtask later, as an in-process executor must
 * (results are always delivered asynchronously).
 *
 * @example
 * ```ts
 * await runRawWorkload(promiseTransport, { n: 200_000, inFlight: 2 });
 * ```
 */
export function promiseTransport(): RawTransport {
  return {
    async start() {},
    call: (x) => Promise.resolve(x).then(increment),
    async close() {},
  };
}
