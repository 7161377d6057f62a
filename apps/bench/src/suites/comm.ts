/**
 * Suite "comm": messages per second from a running call to its task's `message` handler
 * (`taskContext().send` in a loop of N, timed from submit to result), in-process, on threads
 * and on processes, beside the raw channel each is built on (a `postMessage` loop from a
 * worker thread; a `process.send` loop from a forked child). One worker each; the worker is
 * started and the module loaded by an untimed first call, so the figure is the messages
 * alone. Every run checks that all N messages arrived before the result.
 */

import { processes } from "@amltk/executor-processes";
import { threads } from "@amltk/executor-threads";
import { ExitCode, Scheduler, SequentialExecutor, fromModule, type Executor } from "@amltk/scheduler";
import { performance } from "node:perf_hooks";
import { sampleAsync, summarize, type Sampled } from "../harness.js";
import { formatInt, formatRatio, formatSpread, printTable, type Print } from "../report.js";
import type { Suite } from "../suite.js";
import { rawProcessBurst, rawThreadBurst, type Burst } from "../transports/comm-raw.js";

/** Messages per timed call on the pools. */
export const MESSAGES = 20_000;
/** In-process: 20,000 messages last about a millisecond, too short to time on a busy machine. */
export const MESSAGES_IN_PROCESS = 200_000;
const SAMPLING = { warmups: 2, samples: 7 };

const sendMany = fromModule<typeof import("../comm-work.js")>(new URL("../comm-work.js", import.meta.url)).sendMany;

/**
 * One scheduler run: an untimed `sendMany(1)` (starts the worker, loads the module), then
 * `sendMany(n)` timed from submit to its result, with the `message` handler counting.
 */
async function oursBurst(executor: () => Executor, n: number): Promise<Burst> {
  const scheduler = new Scheduler({ executor: executor() });
  const task = scheduler.task(sendMany);
  let received = 0;
  let t0 = 0;
  let burst: Burst | undefined;
  task.onMessage(() => {
    received++;
  });
  scheduler.onStart(() => {
    task.submit(1);
  });
  task.onResult((_future, sent) => {
    if (sent === 1) {
      received = 0;
      t0 = performance.now();
      task.submit(n);
      return;
    }
    burst = { messages: received, ms: performance.now() - t0 };
  });
  const exit = await scheduler.run({ timeout: 120_000 });
  if (exit.code !== ExitCode.EXHAUSTED || burst === undefined) {
    throw new Error(`comm run ended ${exit.code}${exit.error === undefined ? "" : `: ${String(exit.error)}`}`);
  }
  return burst;
}

interface Variant {
  readonly id: string;
  readonly label: string;
  readonly backend: "in-process" | "threads" | "processes";
  readonly raw: boolean;
  /** Messages per timed run. */
  readonly n: number;
  readonly run: () => Promise<Burst>;
}

const VARIANTS: readonly Variant[] = [
  { id: "in-process", label: "ours: SequentialExecutor()", backend: "in-process", raw: false, n: MESSAGES_IN_PROCESS, run: () => oursBurst(() => new SequentialExecutor(), MESSAGES_IN_PROCESS) },
  { id: "raw-thread", label: "raw: worker_thread postMessage loop", backend: "threads", raw: true, n: MESSAGES, run: () => rawThreadBurst(MESSAGES) },
  { id: "threads", label: "ours: threads({ maxWorkers: 1 })", backend: "threads", raw: false, n: MESSAGES, run: () => oursBurst(() => threads({ maxWorkers: 1 }), MESSAGES) },
  { id: "raw-process", label: "raw: fork process.send loop (json)", backend: "processes", raw: true, n: MESSAGES, run: () => rawProcessBurst(MESSAGES) },
  { id: "processes", label: "ours: processes({ maxWorkers: 1 })", backend: "processes", raw: false, n: MESSAGES, run: () => oursBurst(() => processes({ maxWorkers: 1 }), MESSAGES) },
];

const rate = (b: Burst) => b.messages / (b.ms / 1000);

/** The comm suite. */
export const commSuite: Suite<Sampled<Burst>> = {
  name: "comm",
  title: "comm: taskContext().send to task.onMessage beside raw postMessage / process.send",
  target: "every row measured with all N messages before the result (no ratio target yet; ours/raw printed)",
  caseIds: () => VARIANTS.map((v) => v.id),
  async runCase(id) {
    const variant = VARIANTS.find((v) => v.id === id);
    if (variant === undefined) throw new Error(`No case "${id}" in suite "comm".`);
    const sampled = await sampleAsync(variant.run, SAMPLING);
    for (const b of [...sampled.warmups, ...sampled.samples]) {
      // A dropped or late message would flatter the rate: refuse the figure instead.
      if (b.messages !== variant.n) throw new Error(`${variant.label}: ${b.messages} of ${variant.n} messages arrived before the end.`);
    }
    return sampled;
  },
  report(results, out: Print) {
    const medians = new Map<string, number>();
    const rows: string[][] = [];
    for (const v of VARIANTS) {
      const got = results.get(v.id);
      if (got === undefined) continue;
      const s = summarize(got.samples.map(rate));
      medians.set(v.id, s.median);
      const rawId = v.backend === "threads" ? "raw-thread" : v.backend === "processes" ? "raw-process" : undefined;
      const raw = rawId === undefined || v.raw ? undefined : medians.get(rawId);
      rows.push([v.label, formatInt(v.n), formatInt(s.median), formatSpread(s), (1e6 / s.median).toFixed(3), raw === undefined ? "—" : formatRatio(s.median / raw)]);
    }
    printTable(
      "Comm: N messages from one running call, submit to result",
      [{ header: "variant", align: "left" }, { header: "N", align: "right" }, { header: "messages/s", align: "right" }, { header: "spread", align: "right" }, { header: "µs/message", align: "right" }, { header: "ours/raw", align: "right" }],
      rows,
      [
        `${SAMPLING.warmups} warm-up + ${SAMPLING.samples} timed runs per row, each row in a fresh process; one worker; the worker's start and the module's import are not timed (an untimed first call).`,
        "ours: a call doing taskContext().send(i) N times and returning; messages/s = N over submit-to-result, the task's onMessage counting each; every run checks all N arrived before the result.",
        "raw: the same N from a worker thread (parentPort.postMessage) or a forked child (process.send, JSON channel as the processes executor uses) to a counting handler, timed from the request to the last message.",
      ],
      out,
    );
    out("");
    for (const [ours, raw] of [["threads", "raw-thread"], ["processes", "raw-process"]] as const) {
      const o = medians.get(ours);
      const r = medians.get(raw);
      if (o !== undefined && r !== undefined) out(`- ${ours}: ours/raw ${formatRatio(o / r)} (${formatInt(o)} vs ${formatInt(r)} messages/s)`);
    }
    return medians.size === VARIANTS.length;
  },
};
