/**
 * Suite "threads": `@amltk/executor-threads` through the scheduler on the reference workload
 * beside piscina's own `run()` with the same number of worker threads.
 */

import { threads } from "@amltk/executor-threads";
import { WORKERS, backendSuite } from "../backend-suite.js";
import { piscinaTransport } from "../transports/piscina.js";

/** AMLTK (Python), threads, 2 workers, 2 in flight, on this kind of machine: calls/s. */
export const AMLTK_THREADS = 7_100;

/** The threads suite. */
export const threadsSuite = backendSuite({
  name: "threads",
  title: `threads: Scheduler + threads({ maxWorkers: ${WORKERS} }) beside raw piscina`,
  tableTitle: "Reference workload on worker threads: N calls of x => x + 1, each result submits the next",
  rawId: "raw-piscina",
  rawLabel: `raw: piscina run() (${WORKERS} threads)`,
  raw: () => piscinaTransport(WORKERS),
  oursId: "threads",
  oursLabel: `threads({ maxWorkers: ${WORKERS} })`,
  ours: () => threads({ maxWorkers: WORKERS }),
  rounds: 3,
  amltk: AMLTK_THREADS,
  shapes: [
    { n: 20_000, inFlight: 2, warmups: 1, samples: 3 },
    { n: 20_000, inFlight: 64, warmups: 1, samples: 3 },
  ],
  notes: [
    "raw: piscina run(x) on a pool of the same size (minThreads = maxThreads, otherwise piscina's defaults), its worker's default export doing x => x + 1; piscina queues what its workers cannot take.",
  ],
});
