/**
 * Reading a trace file back: the lines as objects, and the same records and timeline a live
 * `QueueMonitor` would have produced, by replaying the call transitions through the same
 * recorder. A trace cut short by a crash reads fine: calls without an end are drawn as still
 * running at the last line.
 */

import { readFileSync } from "node:fs";
import { TraceFormatError } from "./errors.js";
import { CallRecorder } from "./recorder.js";
import type { MonitorRecord, Timeline } from "./records.js";
import type { TraceLine } from "./trace.js";

/** A trace read back. */
export interface ReadTrace {
  /** Every line, in order. */
  lines: TraceLine[];
  /** The call transitions, as `QueueMonitor.records()` gives them (times since the run's start). */
  records: MonitorRecord[];
  /** What the plot draws. */
  timeline: Timeline;
}

function parseLine(file: string, number: number, text: string): TraceLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TraceFormatError(file, number, `not JSON (${(error as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TraceFormatError(file, number, "not a JSON object");
  const line = value as Partial<TraceLine>;
  if (typeof line.event !== "string") throw new TraceFormatError(file, number, 'no string "event"');
  if (typeof line.time !== "number" || !Number.isFinite(line.time)) throw new TraceFormatError(file, number, 'no number "time"');
  if (typeof line.date !== "string" || Number.isNaN(Date.parse(line.date))) throw new TraceFormatError(file, number, 'no ISO "date"');
  if (line.callId !== null && line.callId !== undefined && typeof line.callId !== "number") {
    throw new TraceFormatError(file, number, '"callId" is not a number');
  }
  return line as TraceLine;
}

/**
 * Reads the trace at `file`.
 *
 * @throws TraceFormatError naming the first line that is not a trace record (a last line cut
 * off mid-write by a crash is skipped, not an error); whatever reading the file throws.
 * @example
 * ```ts
 * const { records, timeline } = readTrace("run.jsonl");
 * ```
 */
export function readTrace(file: string): ReadTrace {
  const text = readFileSync(file, "utf8");
  const rows = text.split("\n");
  // The last row is "" after a final newline; anything else there is a line a crash cut off.
  const last = rows.pop() ?? "";
  const lines: TraceLine[] = [];
  rows.forEach((row, i) => {
    if (row.trim() !== "") lines.push(parseLine(file, i + 1, row));
  });
  if (last.trim() !== "") {
    try {
      lines.push(parseLine(file, rows.length + 1, last));
    } catch {
      // Cut off mid-write: everything before it is the trace.
    }
  }
  return replay(lines);
}

/**
 * The records and timeline of trace lines (see `readTrace`).
 *
 * @example
 * ```ts
 * const { timeline } = replay(lines);
 * ```
 */
export function replay(lines: readonly TraceLine[]): ReadTrace {
  const header = lines.find((line) => line.event === "trace-start");
  const recorder = new CallRecorder(typeof header?.workers === "number" ? header.workers : undefined);
  const start = lines.find((line) => line.event === "start")?.time ?? 0;
  const at = (line: TraceLine) => ({ time: Math.max(0, line.time - start), date: new Date(line.date) });
  let end = 0;
  for (const line of lines) {
    end = Math.max(end, line.time - start);
    if (line.source !== "scheduler" || typeof line.callId !== "number") continue;
    const task = line.task ?? "anonymous";
    switch (line.event) {
      case "future-submitted":
        recorder.submitted(at(line), line.callId, task);
        break;
      case "future-running":
        recorder.started(at(line), line.callId, task, line.worker ?? undefined);
        break;
      case "future-result":
        recorder.ended(at(line), line.callId, task, "result");
        break;
      case "future-exception":
        recorder.ended(at(line), line.callId, task, "exception");
        break;
      case "future-cancelled":
        recorder.ended(at(line), line.callId, task, "cancelled");
        break;
      default:
      // future-done is followed by future-result or future-exception, which say how it ended.
    }
  }
  return { lines: [...lines], records: recorder.records(), timeline: recorder.timeline(end) };
}
