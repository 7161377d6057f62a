/**
 * Suite "processes": `@amltk/executor-processes` through the scheduler on the reference
 * workload beside bare `child_process.fork` children echoing over IPC.
 */

import { processes } from "@amltk/executor-processes";
import { WORKERS, backendSuite } from "../backend-suite.js";
import { forkIpcTransport } from "../transports/fork-ipc.js";

/** AMLTK (Python), processes, 2 workers, 2 in flight, on this kind of machine: calls/s. */
export const AMLTK_PROCESSES = 3_050;

/** The processes suite. */
export const processesSuite = backendSuite({
  name: "processes",
  title: `processes: Scheduler + processes({ maxWorkers: ${WORKERS} }) beside raw fork + IPC`,
  tableTitle: "Reference workload on child processes: N calls of x => x + 1, each result submits the next",
  rawId: "raw-fork-ipc",
  rawLabel: `raw: fork + IPC echo (${WORKERS} children)`,
  raw: () => forkIpcTransport(WORKERS),
  oursId: "processes",
  oursLabel: `processes({ maxWorkers: ${WORKERS} })`,
  ours: () => processes({ maxWorkers: WORKERS }),
  rounds: 3,
  amltk: AMLTK_PROCESSES,
  shapes: [
    { n: 20_000, inFlight: 2, warmups: 1, samples: 3 },
    { n: 20_000, inFlight: 64, warmups: 1, samples: 3 },
  ],
  notes: [
    'raw: child_process.fork children with serialization "json" (the executor\'s default channel), each answering { id, x } with { id, value: x + 1 }; calls go round-robin and each is written at once (one child.send per call), so each child has every call it was given queued in its channel.',
    "ours writes the messages one tick makes for a child as one IPC message and lets a busy child hold up to 16 calls queued (prefetch); a bare child.send per call does neither, which is why ours can beat raw with 64 in flight.",
  ],
});
