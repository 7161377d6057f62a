/**
 * @amltk/monitor: watch a scheduler's queue and workers. `QueueMonitor` records every submit,
 * start, end and cancel with the counts and the worker, and gives them back as records, CSV,
 * utilisation and a self-contained SVG plot; `trace()` writes every event as JSON lines that
 * survive a crash, and `amltk-trace` renders such a file later.
 *
 * @example
 * ```ts
 * import { QueueMonitor, trace } from "@amltk/monitor";
 *
 * const monitor = new QueueMonitor(scheduler);
 * const tracing = trace(scheduler, "run.jsonl");
 * await scheduler.run();
 * tracing.close();
 * monitor.plot("run.svg");
 * ```
 */
export { CSV_COLUMNS, recordsToCSV } from "./csv.js";
export { TraceFormatError } from "./errors.js";
export { attemptOf, taskLabel, workerOf } from "./future-info.js";
export { MIN_WIDTH, type PlotOptions, type SvgOptions } from "./plot-options.js";
export { QueueMonitor, type QueueMonitorOptions } from "./queue-monitor.js";
export { readTrace, replay, type ReadTrace } from "./read-trace.js";
export type { CallBar, CallOutcome, CountSample, Counts, MonitorRecord, RecordEvent, Timeline } from "./records.js";
export { renderTraceCommand, USAGE, type CommandOutput } from "./render-trace-command.js";
export { SERIES_COLOURS, TASK_COLOURS, niceTicks, timelineToSVG } from "./svg.js";
export { TRACE_VERSION, trace, type TraceHandle, type TraceLine } from "./trace.js";
