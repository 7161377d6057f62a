/**
 * A comparison on the reference workload: several variants (executors through the
 * scheduler, and the raw transport they are built on) at several shapes (N, in-flight
 * count), printed as one table with each variant beside its raw transport as a ratio.
 * The in-process suite uses it today; the threads, processes and remote suites are meant to
 * reuse it unchanged, with their own variants.
 */

import { sampleAsync } from "./harness.js";
import {
  formatInt,
  formatMicros,
  formatMs,
  formatRatio,
  formatSpread,
  passFail,
  printTable,
  type Print,
} from "./report.js";
import { LATENCY_STRIDE, summarizeWorkload, type WorkloadOptions, type WorkloadResult, type WorkloadSummary } from "./workload.js";

/** One thing that can run the reference workload. */
export interface Variant {
  /** Stable and short, used in case ids: `sequential`, `raw-piscina`. */
  readonly id: string;
  /** As printed, e.g. `SequentialExecutor()` or `raw: piscina`. */
  readonly label: string;
  /** A raw transport: the row other variants of the same shape are divided by. */
  readonly raw?: boolean;
  readonly run: (options: WorkloadOptions) => Promise<WorkloadResult>;
}

/** One size of the workload, with how many times to repeat it. */
export interface Shape extends WorkloadOptions {
  readonly warmups: number;
  readonly samples: number;
}

/** A calls-per-second figure each row is checked against, e.g. AMLTK's own. */
export interface Threshold {
  /** Column header, e.g. `>= 163,000`. */
  readonly header: string;
  readonly callsPerSec: number;
}

/** What to measure and how to print it. */
export interface Comparison {
  readonly title: string;
  readonly variants: readonly Variant[];
  readonly shapes: readonly Shape[];
  /** A published figure to divide by (printed as `vs <label>`). */
  readonly reference?: { readonly label: string; readonly callsPerSec: number };
  readonly thresholds?: readonly Threshold[];
  readonly notes?: readonly string[];
}

/** One measured cell of the comparison. */
export interface Measurement {
  readonly variant: Variant;
  readonly shape: Shape;
  readonly summary: WorkloadSummary;
}

/** `n20000-f2`: a shape in case ids. */
export const shapeId = (shape: WorkloadOptions) => `n${shape.n}-f${shape.inFlight}`;
/** `threads.n20000-f2`: the id of a variant at a shape, as `reportComparison` looks results up. */
export const caseId = (variant: Variant, shape: WorkloadOptions) => `${variant.id}.${shapeId(shape)}`;

/**
 * The comparison's cases, variant by variant: `sequential.n20000-f2`, ...
 *
 * @example
 * ```ts
 * comparisonCaseIds(comparison); // ["raw-promise.n20000-f2", ...]
 * ```
 */
export function comparisonCaseIds(comparison: Comparison): string[] {
  return comparison.variants.flatMap((v) => comparison.shapes.map((s) => caseId(v, s)));
}

/**
 * Measures one case: warm-up runs, then timed runs, reduced to a summary.
 *
 * @throws Error when `id` names no case of the comparison.
 */
export async function runComparisonCase(comparison: Comparison, id: string): Promise<WorkloadSummary> {
  for (const variant of comparison.variants) {
    for (const shape of comparison.shapes) {
      if (caseId(variant, shape) === id) return summarizeWorkload(await sampleAsync(() => variant.run(shape), shape));
    }
  }
  throw new Error(`No case "${id}" in "${comparison.title}"; cases: ${comparisonCaseIds(comparison).join(", ")}.`);
}

/**
 * Prints the comparison's table from its cases' results and returns the measurements.
 *
 * @example
 * ```ts
 * const rows = reportComparison(comparison, results, print);
 * ```
 */
export function reportComparison(
  comparison: Comparison,
  results: ReadonlyMap<string, WorkloadSummary>,
  out: Print,
): Measurement[] {
  const { variants, shapes, reference, thresholds = [], notes = [] } = comparison;
  const measurements: Measurement[] = [];
  for (const variant of variants) {
    for (const shape of shapes) {
      const summary = results.get(caseId(variant, shape));
      if (summary !== undefined) measurements.push({ variant, shape, summary });
    }
  }
  const rawFor = (shape: Shape) =>
    measurements.find((m) => m.variant.raw === true && m.shape === shape)?.summary.callsPerSec.median;
  const rows = measurements.map(({ variant, shape, summary }) => {
    const rate = summary.callsPerSec.median;
    const raw = rawFor(shape);
    return [
      variant.label,
      formatInt(shape.n),
      String(shape.inFlight),
      formatInt(rate),
      formatSpread(summary.callsPerSec),
      formatMicros(summary.p50Ms),
      formatMicros(summary.p99Ms),
      `${formatMs(summary.coldFirstResultMs)} / ${formatMs(summary.firstResultMs)}`,
      formatMs(summary.totalMs),
      variant.raw === true || raw === undefined ? "-" : formatRatio(rate / raw),
      ...(reference === undefined ? [] : [formatRatio(rate / reference.callsPerSec)]),
      ...thresholds.map((t) => (variant.raw === true ? "" : passFail(rate >= t.callsPerSec))),
    ];
  });
  const samples = [...new Set(shapes.map((s) => `N = ${formatInt(s.n)}: ${s.warmups} warm-up + ${s.samples} timed runs`))];
  printTable(
    comparison.title,
    [
      { header: "variant" },
      { header: "N", align: "right" },
      { header: "in flight", align: "right" },
      { header: "calls/s", align: "right" },
      { header: "spread", align: "right" },
      { header: "p50 µs", align: "right" },
      { header: "p99 µs", align: "right" },
      { header: "1st result ms cold / warm", align: "right" },
      { header: "run ms", align: "right" },
      { header: "vs raw", align: "right" },
      ...(reference === undefined ? [] : [{ header: `vs ${reference.label}`, align: "right" as const }]),
      ...thresholds.map((t) => ({ header: t.header })),
    ],
    rows,
    [
      `Each row is measured in a fresh process; ${samples.join("; ")}.`,
      "calls/s: N / (time from run() to the last result callback), median of the timed runs; spread = (max - min) / median.",
      `p50/p99: round trip of one call, submit to its result callback, timed on every ${LATENCY_STRIDE}th call (median over the timed runs of each run's percentile).`,
      "1st result: run() to the first result callback, in the process's first run (cold) and in the timed runs (warm).",
      "run ms: run() until it resolved, shutdown included. vs raw: calls/s over the raw transport's at the same N and in-flight count.",
      ...notes,
    ],
    out,
  );
  return measurements;
}
