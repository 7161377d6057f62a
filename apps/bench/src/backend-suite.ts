/**
 * A suite for an out-of-process backend: the executor through the scheduler beside the raw
 * transport it is built on, on the reference workload at N = 20,000 with 2 and 64 in
 * flight, reported as one table plus the targets: ours/raw >= 0.8 at both in-flight counts,
 * and AMLTK's own figure for scale. The threads and processes suites are two instances.
 *
 * Measured in paired rounds: each round runs raw and ours at one shape back to back, each in
 * its own fresh process (raw first in odd rounds, ours first in even ones). These rows depend
 * on how the OS schedules several busy threads or processes on two cores, and on a shared
 * machine the load drifts within seconds; measuring all of raw and then all of ours would
 * charge that drift to the ratio. The ratio that decides PASS/FAIL is the median of the
 * per-round ratios.
 */

import { fromModule, type Executor } from "@amltk/scheduler";
import { caseId, reportComparison, shapeId, type Comparison, type Measurement, type Shape, type Variant } from "./compare.js";
import { sampleAsync, summarize, type Sampled } from "./harness.js";
import { formatInt, formatMs, formatRatio, passFail, type Print } from "./report.js";
import type { Suite } from "./suite.js";
import {
  runRawWorkload,
  runSchedulerWorkload,
  summarizeWorkload,
  type RawTransport,
  type WorkloadResult,
  type WorkloadSummary,
} from "./workload.js";

/** The reference call by reference, as out-of-process executors need it. */
export const incrementRef = fromModule<typeof import("./work.js")>(new URL("./work.js", import.meta.url)).increment;

/** The share of the raw transport's calls/s a backend must keep (DESIGN section 7). */
export const RATIO_TARGET = 0.8;

/** Workers (threads or children) on both sides of every comparison. */
export const WORKERS = 2;

/** What a backend suite is made of. */
export interface BackendSpec {
  readonly name: string;
  readonly title: string;
  /** Heading of the table, e.g. `Reference workload on worker threads: ...`. */
  readonly tableTitle: string;
  /** As printed for the raw row, e.g. `raw: piscina run()`. */
  readonly rawLabel: string;
  readonly rawId: string;
  readonly raw: () => RawTransport;
  /** As printed for our row, e.g. `threads({ maxWorkers: 2 })`. */
  readonly oursLabel: string;
  readonly oursId: string;
  readonly ours: () => Executor;
  /** AMLTK (Python) with 2 workers at 2 in flight on this kind of machine, calls/s. */
  readonly amltk: number;
  /** Per round and variant: `warmups` untimed runs (the first is the cold one), `samples` timed. */
  readonly shapes: readonly Shape[];
  /** Paired rounds (see the module comment). */
  readonly rounds: number;
  readonly notes: readonly string[];
}

function find(ms: readonly Measurement[], raw: boolean, inFlight: number): Measurement | undefined {
  return ms.find((m) => (m.variant.raw === true) === raw && m.shape.inFlight === inFlight);
}

/** What one case (one variant at one shape in one round) measured: every run, unreduced. */
export type RoundResult = Sampled<WorkloadResult>;

const median = (values: readonly number[]) => summarize(values).median;

/**
 * A `Suite` comparing `spec.ours` with `spec.raw` in paired rounds.
 *
 * @example
 * ```ts
 * export const threadsSuite = backendSuite({ name: "threads", ... });
 * ```
 */
export function backendSuite(spec: BackendSpec): Suite<RoundResult> {
  const raw: Variant = { id: spec.rawId, label: spec.rawLabel, raw: true, run: (o) => runRawWorkload(spec.raw, o) };
  const ours: Variant = { id: spec.oursId, label: spec.oursLabel, run: (o) => runSchedulerWorkload(spec.ours, o, incrementRef) };
  const rounds = Array.from({ length: spec.rounds }, (_, i) => i + 1);
  const roundId = (variant: Variant, shape: Shape, round: number) => `${caseId(variant, shape)}.r${round}`;
  const runsPerCase = (shape: Shape) => `${shape.warmups} warm-up + ${shape.samples} timed runs`;
  const comparison: Comparison = {
    title: spec.tableTitle,
    variants: [raw, ours],
    shapes: spec.shapes,
    reference: { label: "AMLTK", callsPerSec: spec.amltk },
    notes: [
      `Measured in ${spec.rounds} paired rounds: per round and shape, raw and ours back to back, each in a fresh process with ${[...new Set(spec.shapes.map(runsPerCase))].join(" / ")}; the figures are over all rounds' timed runs. The line above about runs per row describes the merged rows.`,
      `Both sides use ${WORKERS} workers. Every run starts a fresh pool, so "1st result" is always a cold pool (workers not started); "cold" is the median over the rounds of each process's first run (nothing compiled yet either).`,
      `vs AMLTK: calls/s over AMLTK (Python) with ${WORKERS} workers at 2 in flight on this kind of machine, about ${formatInt(spec.amltk)} calls/s (for scale, not a target).`,
      ...spec.notes,
    ],
  };
  return {
    name: spec.name,
    title: spec.title,
    target: `${spec.oursLabel} >= ${RATIO_TARGET}x the raw transport's calls/s at 2 and at 64 in flight (median of paired rounds)`,
    caseIds: () =>
      rounds.flatMap((round) =>
        spec.shapes.flatMap((shape) => {
          const pair = round % 2 === 1 ? [raw, ours] : [ours, raw];
          return pair.map((variant) => roundId(variant, shape, round));
        }),
      ),
    async runCase(id) {
      for (const round of rounds) {
        for (const shape of spec.shapes) {
          for (const variant of [raw, ours]) {
            if (roundId(variant, shape, round) === id) return sampleAsync(() => variant.run(shape), shape);
          }
        }
      }
      throw new Error(`No case "${id}" in suite "${spec.name}".`);
    },
    report(results, out: Print) {
      const merged = new Map<string, WorkloadSummary>();
      for (const shape of spec.shapes) {
        for (const variant of [raw, ours]) {
          const got = rounds.map((round) => results.get(roundId(variant, shape, round))).filter((r) => r !== undefined);
          if (got.length === 0) continue;
          const all: RoundResult = { warmups: got.flatMap((r) => r.warmups), samples: got.flatMap((r) => r.samples) };
          const colds = got.map((r) => (r.warmups[0] ?? r.samples[0])!.firstResultMs);
          merged.set(caseId(variant, shape), { ...summarizeWorkload(all), coldFirstResultMs: median(colds) });
        }
      }
      const ms = reportComparison(comparison, merged, out);
      out("");
      out("Cold start (run() to the first result on a fresh pool; median of the timed runs, and in brackets of each process's first run):");
      out("");
      for (const inFlight of [...new Set(spec.shapes.map((s) => s.inFlight))]) {
        const r = find(ms, true, inFlight);
        const o = find(ms, false, inFlight);
        if (r === undefined || o === undefined) continue;
        const cold = (m: Measurement) => `${formatMs(m.summary.firstResultMs)} ms (${formatMs(m.summary.coldFirstResultMs)} ms)`;
        out(`- ${inFlight} in flight: ours ${cold(o)}, raw ${cold(r)}`);
      }
      out("");
      out(`Targets (${spec.oursLabel}, N = ${formatInt(spec.shapes[0]?.n ?? 0)}; ours/raw = median over the rounds of (ours / raw calls/s of the same round)):`);
      out("");
      let pass = true;
      for (const shape of spec.shapes) {
        const ratios: number[] = [];
        for (const round of rounds) {
          const o = results.get(roundId(ours, shape, round));
          const r = results.get(roundId(raw, shape, round));
          if (o === undefined || r === undefined) continue;
          ratios.push(median(o.samples.map((x) => x.callsPerSec)) / median(r.samples.map((x) => x.callsPerSec)));
        }
        if (ratios.length === 0) {
          pass = false;
          continue;
        }
        const ratio = median(ratios);
        const ok = ratio >= RATIO_TARGET;
        pass &&= ok;
        out(
          // Three decimals: a 0.797 must not read as a failing "0.80x".
          `- ours/raw at ${shape.inFlight} in flight >= ${RATIO_TARGET}x: ${ratio.toFixed(3)}x ${passFail(ok)} (rounds: ${ratios.map((r) => `${r.toFixed(3)}x`).join(", ")}; ${shapeId(shape)})`,
        );
      }
      const two = find(ms, false, 2);
      if (two !== undefined) {
        const rate = two.summary.callsPerSec.median;
        out(
          `- for scale, AMLTK (Python), ${WORKERS} workers, 2 in flight: about ${formatInt(spec.amltk)} calls/s; ours ${formatInt(rate)} calls/s = ${formatRatio(rate / spec.amltk)} AMLTK ${passFail(rate >= spec.amltk)}`,
        );
      }
      return pass;
    },
  };
}
