/**
 * The plain data a monitor produces: one record per transition of a call, the bars of the
 * per-worker timeline, and the timeline as a whole. Plain objects (JSON-safe: `null`, never
 * `undefined`), so they can be logged, saved, or handed to another plotting tool.
 */

/** What happened to a call: it was submitted, started executing, finished, or was cancelled. */
export type RecordEvent = "submitted" | "started" | "done" | "cancelled";

/** How a call ended: it returned, threw, or was cancelled. */
export type CallOutcome = "result" | "exception" | "cancelled";

/** The counts of calls at one moment. */
export interface Counts {
  /** Submitted, not started. */
  queued: number;
  /** Started, not finished. */
  running: number;
  /** Returned or threw. */
  finished: number;
  /** Cancelled, queued or running. */
  cancelled: number;
}

/**
 * One transition of one call, with the counts just after it.
 *
 * @example
 * ```ts
 * // { event: "started", time: 0.012, date: "2026-12-01T22:50:00.012Z", callId: 3, task: "sleep",
 * //   worker: "slot 1", lane: 1, outcome: null, queued: 5, running: 2, finished: 2, cancelled: 0 }
 * ```
 */
export interface MonitorRecord extends Counts {
  event: RecordEvent;
  /** Seconds since the run started (from `performance.now()`, monotonic). */
  time: number;
  /** Wall-clock time, ISO 8601. */
  date: string;
  callId: number;
  /** The submitting task's name, or the function's name for `scheduler.submit` calls. */
  task: string;
  /** The worker that ran the call (`future.worker`, else `"slot N"`); null until it started. */
  worker: string | null;
  /** The call's lane in the timeline; null until it started. */
  lane: number | null;
  /** For `done` and `cancelled`: how the call ended; null otherwise. */
  outcome: CallOutcome | null;
}

/** One call on the per-worker timeline: from its start to its end, on its worker's lane. */
export interface CallBar {
  callId: number;
  task: string;
  lane: number;
  worker: string;
  /** Seconds since the run started. */
  start: number;
  /** Seconds since the run started; null while the call still runs. */
  end: number | null;
  /** How the call ended; `"running"` while it still runs. */
  outcome: CallOutcome | "running";
}

/** The counts at `time` (seconds since the run started). */
export interface CountSample extends Counts {
  time: number;
}

/**
 * Everything a plot draws: counts over time, one bar per call that started, the lanes and
 * the tasks (in order of first appearance, which fixes their colours).
 */
export interface Timeline {
  /** Seconds from the run's start to its end (or to now, while it runs). */
  end: number;
  /** Workers available to the run: the executor's `maxWorkers`/`concurrency`, else the lanes used. */
  capacity: number;
  lanes: readonly string[];
  tasks: readonly string[];
  samples: readonly CountSample[];
  bars: readonly CallBar[];
}
