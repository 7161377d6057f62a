/**
 * `QueueMonitor`: AMLTK's QueueMonitor, made to be looked at. It watches a scheduler and
 * records every submit, start, end and cancel of a call with the time and the counts
 * queued / running / finished / cancelled, and which worker ran what when; it gives them back
 * as records, CSV, a utilisation figure and a self-contained SVG plot.
 */

import { writeFileSync } from "node:fs";
import { InvalidArgumentError, checkOptions, type Future, type Scheduler } from "@amltk/scheduler";
import { recordsToCSV } from "./csv.js";
import { taskLabel, workerOf } from "./future-info.js";
import { resolvePlotArgument, resolveSvgOptions, type PlotOptions, type SvgOptions } from "./plot-options.js";
import { CallRecorder, type Moment } from "./recorder.js";
import type { Counts, MonitorRecord, Timeline } from "./records.js";
import { subscribe } from "./subscribe.js";
import { timelineToSVG } from "./svg.js";

/** Options for `new QueueMonitor()`. */
export interface QueueMonitorOptions {
  /**
   * How many workers the run has: the height of the idle band and the denominator of
   * `utilisation()`. @default the executor's `describe().maxWorkers` (pools) or
   * `describe().concurrency` (in-process), else the number of lanes calls ran on.
   */
  workers?: number | undefined;
}

/** The executor's worker count, when its `describe()` says. */
function describedWorkers(scheduler: Scheduler): number | undefined {
  let described: Record<string, unknown>;
  try {
    described = scheduler.executor.describe();
  } catch {
    return undefined;
  }
  for (const key of ["maxWorkers", "concurrency"]) {
    const value = described[key];
    if (typeof value === "number" && Number.isInteger(value) && value > 0) return value;
  }
  return undefined;
}

/**
 * Watches `scheduler` from construction until `close()`. Times are seconds since the run
 * started (the first `start` event it saw, or its construction if the run was already
 * going); several runs share one time axis.
 *
 * @example
 * ```ts
 * import { QueueMonitor } from "@amltk/monitor";
 *
 * const monitor = new QueueMonitor(scheduler);
 * await scheduler.run();
 * monitor.plot("queue.svg");
 * console.log(monitor.utilisation()); // 0.93
 * ```
 */
export class QueueMonitor {
  readonly #recorder: CallRecorder;
  readonly #unsubscribe: () => void;
  /** `performance.now()` at the run's start; unset until the first start or transition. */
  #origin: number | undefined;
  /** Seconds since the start when the latest run finished; unset while a run goes on. */
  #endedAt: number | undefined;

  constructor(scheduler: Scheduler, options: QueueMonitorOptions = {}) {
    checkOptions("options", options, ["workers"]);
    const workers = options.workers;
    if (workers !== undefined && (typeof workers !== "number" || !Number.isInteger(workers) || workers < 1)) {
      throw new InvalidArgumentError("options.workers", "an integer >= 1", workers);
    }
    this.#recorder = new CallRecorder(workers ?? describedWorkers(scheduler));
    this.#unsubscribe = subscribe("scheduler", scheduler, "queue-monitor", {
      start: () => {
        this.#origin ??= performance.now();
        this.#endedAt = undefined;
      },
      finished: () => {
        this.#endedAt = this.#now().time;
      },
      "future-submitted": (future) => this.#recorder.submitted(this.#now(), future.id, taskLabel(future)),
      running: (future) => this.#recorder.started(this.#now(), future.id, taskLabel(future), workerOf(future)),
      "future-result": (future) => this.#recorder.ended(this.#now(), future.id, taskLabel(future), "result"),
      "future-exception": (future) => this.#recorder.ended(this.#now(), future.id, taskLabel(future), "exception"),
      "future-cancelled": (future) => this.#recorder.ended(this.#now(), future.id, taskLabel(future), "cancelled"),
    });
    // Calls already in flight when the monitor was made count from now.
    for (const future of scheduler.queue as readonly Future<any>[]) {
      if (future.state === "running") this.#recorder.started(this.#now(), future.id, taskLabel(future), workerOf(future));
      else if (future.state === "pending") this.#recorder.submitted(this.#now(), future.id, taskLabel(future));
    }
  }

  /** Seconds since the run started, and the wall clock. */
  #now(): Moment {
    const now = performance.now();
    this.#origin ??= now;
    return { time: (now - this.#origin) / 1000, date: new Date() };
  }

  /** The counts now: queued, running, finished, cancelled. */
  get counts(): Readonly<Counts> {
    return { ...this.#recorder.counts };
  }

  /**
   * Every transition so far, oldest first, as plain objects (see `MonitorRecord`).
   *
   * @example
   * ```ts
   * monitor.records().filter((r) => r.event === "started").map((r) => r.worker);
   * ```
   */
  records(): MonitorRecord[] {
    return this.#recorder.records();
  }

  /**
   * The records as CSV: a header row, one row per record, RFC 4180 quoting.
   *
   * @example
   * ```ts
   * writeFileSync("queue.csv", monitor.toCSV());
   * ```
   */
  toCSV(): string {
    return recordsToCSV(this.#recorder.records());
  }

  /**
   * Everything the plot draws, as plain data: counts over time, one bar per started call.
   * It ends when the last run finished, or now while one runs.
   *
   * @example
   * ```ts
   * monitor.timeline().bars.length; // calls that started
   * ```
   */
  timeline(): Timeline {
    const end = this.#endedAt ?? (this.#origin === undefined ? 0 : this.#now().time);
    return this.#recorder.timeline(end);
  }

  /**
   * Busy worker-seconds over available worker-seconds (workers × elapsed), from 0 to 1;
   * 0 before anything ran.
   *
   * @example
   * ```ts
   * monitor.utilisation(); // 0.87: the workers were busy 87 % of the run
   * ```
   */
  utilisation(): number {
    const timeline = this.timeline();
    if (timeline.end <= 0) return 0;
    return this.#recorder.busySeconds(timeline.end) / (timeline.capacity * timeline.end);
  }

  /**
   * The plot as an SVG document (see `plot()`).
   *
   * @throws InvalidArgumentError for unknown options or a bad `width`.
   * @example
   * ```ts
   * const svg = monitor.toSVG({ title: "random search" });
   * ```
   */
  toSVG(options?: SvgOptions): string {
    return timelineToSVG(this.timeline(), resolveSvgOptions("options", options));
  }

  /**
   * Writes the plot to an SVG file (overwriting it) and returns the file's path: a stacked
   * area of running / idle / queued calls over time, and a per-worker timeline with one bar
   * per call, coloured by task, failed and cancelled calls marked; a title, a legend, axes in
   * seconds.
   *
   * @throws InvalidArgumentError for a bad file or options; whatever writing the file throws.
   * @example
   * ```ts
   * monitor.plot("queue.svg");
   * monitor.plot({ file: "queue.svg", title: "random search", width: 1400 });
   * ```
   */
  plot(fileOrOptions: string | PlotOptions): string {
    const { file, svg } = resolvePlotArgument(fileOrOptions);
    writeFileSync(file, timelineToSVG(this.timeline(), svg));
    return file;
  }

  /**
   * Stops watching the scheduler; what was recorded stays readable. Idempotent.
   *
   * @example
   * ```ts
   * monitor.close();
   * ```
   */
  close(): void {
    this.#unsubscribe();
  }
}
