/**
 * `trace(scheduler, file)`: every event of a scheduler and of its tasks, one JSON object per
 * line, written synchronously as it happens, so a run that crashes (or is killed) still
 * leaves everything up to its last event on disk. `readTrace` and `amltk-trace` turn the file
 * back into records and the same plot a live `QueueMonitor` draws.
 */

import { closeSync, openSync, writeSync } from "node:fs";
import { InvalidArgumentError, type Future, type Scheduler, type SchedulerEvents, type Task } from "@amltk/scheduler";
import { attemptOf, taskLabel, workerOf } from "./future-info.js";
import { subscribe, type Listeners } from "./subscribe.js";

/** The version of the line format, in the first line of every trace. */
export const TRACE_VERSION = 1;

/**
 * One line of a trace. `event` is a scheduler event (`start`, `future-submitted`, ...), the
 * start of a call (`future-running`, which is not an event of the scheduler), a task's own
 * event (`source: "task"`, e.g. a plugin's `call-limit-reached`), or `trace-start` (the first
 * line, with the executor and its worker count).
 */
export interface TraceLine {
  /** Seconds since the trace began (monotonic). */
  time: number;
  /** Wall-clock time, ISO 8601. */
  date: string;
  event: string;
  source: "scheduler" | "task" | "trace";
  /** The call's task (or function) name; for a task's own event, the task's name. */
  task: string | null;
  callId: number | null;
  attempt: number | null;
  /** `future.worker` when the executor names its workers. */
  worker: string | null;
  /** Seconds the call ran, on its end events; null if it never started. */
  duration: number | null;
  /** The error's `name` on `future-exception`, `future-cancelled` and `stop` (with an error). */
  error: string | null;
  /** `stop`'s reason. */
  reason?: string;
  /** On `trace-start`: the executor's kind, its worker count (null if unknown) and the format version. */
  executor?: string;
  workers?: number | null;
  version?: number;
}

/** The handle on a running trace. */
export interface TraceHandle {
  /** The file written to. */
  readonly file: string;
  /** Lines written so far. */
  readonly lines: number;
  /** Stops tracing and closes the file. Idempotent. */
  close(): void;
}

/** The scheduler events with no call, in the order a run emits them. */
const RUN_EVENTS = ["start", "empty", "timeout", "stop", "finishing", "finished"] as const;
/** A task's events that repeat a scheduler `future-*` event: the trace has them once. */
const TASK_MIRRORS = new Set(["submitted", "done", "result", "exception", "cancelled"]);

function errorName(error: unknown): string | null {
  if (error === undefined || error === null) return null;
  if (typeof error === "object" && typeof (error as { name?: unknown }).name === "string") return (error as { name: string }).name;
  return typeof error;
}

/**
 * Starts writing every event of `scheduler` and its tasks to `file` (truncated first), one
 * JSON line per event, each written with a synchronous `writeSync` before the event's other
 * callbacks continue. Tasks are picked up as they appear.
 *
 * @throws InvalidArgumentError for a bad scheduler or file; whatever opening the file throws.
 * @example
 * ```ts
 * import { trace } from "@amltk/monitor";
 *
 * const tracing = trace(scheduler, "run.jsonl");
 * await scheduler.run();
 * tracing.close();
 * // later: npx amltk-trace run.jsonl --svg run.svg
 * ```
 */
export function trace(scheduler: Scheduler, file: string): TraceHandle {
  if (typeof file !== "string" || file === "") throw new InvalidArgumentError("file", "a non-empty path", file);
  // Checked before the file is touched: a bad scheduler must not truncate a trace.
  subscribe("scheduler", scheduler, "trace", {})();
  const fd = openSync(file, "w");
  const origin = performance.now();
  const startedAt = new Map<number, number>();
  const tasksSeen = new Set<Task<any, any>>();
  const taskOffs: Array<() => unknown> = [];
  let lines = 0;
  let closed = false;

  const write = (line: Omit<TraceLine, "time" | "date">, now = performance.now()) => {
    if (closed) return;
    const full: TraceLine = { time: (now - origin) / 1000, date: new Date().toISOString(), ...line };
    writeSync(fd, `${JSON.stringify(full)}\n`);
    lines++;
  };
  const callLine = (event: string, future: Future<any>, error: string | null, ended: boolean) => {
    const now = performance.now();
    const started = startedAt.get(future.id);
    if (ended && event !== "future-done") startedAt.delete(future.id);
    write(
      {
        event,
        source: "scheduler",
        task: taskLabel(future),
        callId: future.id,
        attempt: attemptOf(future),
        worker: workerOf(future) ?? null,
        duration: ended && started !== undefined ? (now - started) / 1000 : null,
        error,
      },
      now,
    );
  };
  const runLine = (event: string, error: unknown = undefined, reason?: string) => {
    adoptTasks();
    write({
      event,
      source: "scheduler",
      task: null,
      callId: null,
      attempt: null,
      worker: null,
      duration: null,
      error: errorName(error),
      ...(reason === undefined ? {} : { reason }),
    });
  };
  // A task's own events (a plugin's, say) have no scheduler counterpart: listen to each task.
  const adoptTasks = () => {
    for (const task of scheduler.tasks) {
      if (tasksSeen.has(task)) continue;
      tasksSeen.add(task);
      for (const event of task.events) {
        if (TASK_MIRRORS.has(event.name)) continue;
        taskOffs.push(
          task.on(event, () => write({ event: event.name, source: "task", task: task.name, callId: null, attempt: null, worker: null, duration: null, error: null }), {
            name: "trace",
            hidden: true,
          }),
        );
      }
    }
  };

  const listeners: Listeners = {
    "future-submitted": (future) => {
      adoptTasks();
      callLine("future-submitted", future, null, false);
    },
    running: (future) => {
      startedAt.set(future.id, performance.now());
      callLine("future-running", future, null, false);
    },
    "future-done": (future) => callLine("future-done", future, null, true),
    "future-result": (future) => callLine("future-result", future, null, true),
    "future-exception": (future, error) => callLine("future-exception", future, errorName(error), true),
    "future-cancelled": (future) => callLine("future-cancelled", future, "CancelledError", true),
  };
  for (const event of RUN_EVENTS) {
    (listeners as Record<string, (...args: any[]) => void>)[event] =
      event === "stop"
        ? (...[reason, error]: SchedulerEvents["stop"]) => runLine(event, error, reason)
        : () => runLine(event);
  }

  let describe: Record<string, unknown> = {};
  try {
    describe = scheduler.executor.describe();
  } catch {
    // A describe() that throws only costs the header its worker count.
  }
  const workers = [describe["maxWorkers"], describe["concurrency"]].find((v) => typeof v === "number") as number | undefined;
  write({
    event: "trace-start",
    source: "trace",
    task: null,
    callId: null,
    attempt: null,
    worker: null,
    duration: null,
    error: null,
    executor: scheduler.executor.kind,
    workers: workers ?? null,
    version: TRACE_VERSION,
  });
  adoptTasks();
  const unsubscribe = subscribe("scheduler", scheduler, "trace", listeners);

  return {
    file,
    get lines() {
      return lines;
    },
    close() {
      if (closed) return;
      unsubscribe();
      for (const off of taskOffs) off();
      closed = true;
      closeSync(fd);
    },
  };
}
