/**
 * Suite "in-process": calls per second of the scheduler on the in-process
 * `SequentialExecutor` on the reference workload (DESIGN section 7), beside a bare promise
 * chain doing the same calls, and against AMLTK's own in-process figure and the project's
 * target of ten times it.
 */

import { SequentialExecutor } from "@amltk/scheduler";
import {
  comparisonCaseIds,
  reportComparison,
  runComparisonCase,
  type Comparison,
  type Measurement,
} from "../compare.js";
import { formatInt, formatRatio, passFail, type Print } from "../report.js";
import type { Suite } from "../suite.js";
import { promiseTransport } from "../transports/promise.js";
import { runRawWorkload, runSchedulerWorkload, type WorkloadSummary } from "../workload.js";

/** AMLTK (Python), in-process, on this kind of machine: calls per second. */
export const AMLTK_IN_PROCESS = 16_300;
/** The project's target: ten times AMLTK. */
export const TARGET_IN_PROCESS = 10 * AMLTK_IN_PROCESS;

const comparison: Comparison = {
  title: "Reference workload in-process: N calls of x => x + 1, each result submits the next",
  variants: [
    {
      id: "raw-promise",
      label: "raw: Promise.then",
      raw: true,
      run: (options) => runRawWorkload(promiseTransport, options),
    },
    {
      id: "sequential",
      label: "SequentialExecutor()",
      run: (options) => runSchedulerWorkload(() => new SequentialExecutor(), options),
    },
    {
      id: "sequential-c64",
      label: "SequentialExecutor({ concurrency: 64 })",
      run: (options) => runSchedulerWorkload(() => new SequentialExecutor({ concurrency: 64 }), options),
    },
  ],
  // N = 20,000 is the size of DESIGN section 7 and of AMLTK's benchmark; in-process it lasts
  // only ~0.1 s, so N = 200,000 gives the steadier figure.
  shapes: [
    { n: 20_000, inFlight: 2, warmups: 3, samples: 9 },
    { n: 20_000, inFlight: 64, warmups: 3, samples: 9 },
    { n: 200_000, inFlight: 2, warmups: 1, samples: 5 },
    { n: 200_000, inFlight: 64, warmups: 1, samples: 5 },
  ],
  reference: { label: "AMLTK", callsPerSec: AMLTK_IN_PROCESS },
  thresholds: [
    { header: `>= ${formatInt(AMLTK_IN_PROCESS)}`, callsPerSec: AMLTK_IN_PROCESS },
    { header: `>= ${formatInt(TARGET_IN_PROCESS)}`, callsPerSec: TARGET_IN_PROCESS },
  ],
  notes: [
    `Reference: AMLTK (Python) does about ${formatInt(AMLTK_IN_PROCESS)} calls/s in-process on this kind of machine; the target is ten times that, ${formatInt(TARGET_IN_PROCESS)} calls/s.`,
    "raw: Promise.then runs the same chain with no scheduler (one microtask hop per call): the floor, not a target.",
  ],
};

function verdict(m: Measurement): string {
  const r = m.summary.callsPerSec.median;
  return `${formatInt(r)} calls/s = ${formatRatio(r / AMLTK_IN_PROCESS)} AMLTK; vs AMLTK ${passFail(r >= AMLTK_IN_PROCESS)}, vs 10x target ${passFail(r >= TARGET_IN_PROCESS)}`;
}

/** The in-process suite. */
export const inProcessSuite: Suite<WorkloadSummary> = {
  name: "in-process",
  title: "in-process: Scheduler + SequentialExecutor on the reference workload",
  target: `every in-process row >= ${formatInt(TARGET_IN_PROCESS)} calls/s (10x AMLTK)`,
  caseIds: () => comparisonCaseIds(comparison),
  runCase: (id) => runComparisonCase(comparison, id),
  report(results, out: Print) {
    const measurements = reportComparison(comparison, results, out);
    const ours = measurements.filter((m) => m.variant.raw !== true);
    if (ours.length === 0) return false;
    const slowest = ours.reduce((a, b) => (b.summary.callsPerSec.median < a.summary.callsPerSec.median ? b : a));
    const headline = ours.find((m) => m.variant.id === "sequential" && m.shape.n === 20_000 && m.shape.inFlight === 2);
    out("");
    if (headline !== undefined) {
      out(`Headline (DESIGN section 7: SequentialExecutor(), N = 20,000, 2 in flight): ${verdict(headline)}.`);
    }
    out(
      `Slowest row (${slowest.variant.label}, N = ${formatInt(slowest.shape.n)}, ${slowest.shape.inFlight} in flight): ${verdict(slowest)}.`,
    );
    // The scheduler's own cost per call: what it adds over the bare promise chain at the
    // same shape (the number to drive down), printed beside the ratio.
    for (const m of ours) {
      const raw = measurements.find((r) => r.variant.raw === true && r.shape.n === m.shape.n && r.shape.inFlight === m.shape.inFlight);
      if (raw === undefined) continue;
      const o = m.summary.callsPerSec.median;
      const r = raw.summary.callsPerSec.median;
      out(
        `- ours/bare promise chain, ${m.variant.label}, N = ${formatInt(m.shape.n)}, ${m.shape.inFlight} in flight: ${(o / r).toFixed(3)}x; the scheduler's own cost ${((1e6 / o - 1e6 / r)).toFixed(2)} µs per call`,
      );
    }
    return slowest.summary.callsPerSec.median >= TARGET_IN_PROCESS;
  },
};
