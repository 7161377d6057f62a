/**
 * `CallRecorder`: the state machine behind both the live `QueueMonitor` and a trace read
 * back from a file. It is fed transitions with their times and keeps the records, the counts,
 * the lanes and the bars, so a live run and its replayed trace give the same plot.
 */

import { LaneAssigner, type Lane } from "./lanes.js";
import type { CallBar, CallOutcome, CountSample, Counts, MonitorRecord, RecordEvent, Timeline } from "./records.js";

/** Where a call is, as far as the recorder knows. */
interface CallState {
  readonly task: string;
  phase: "queued" | "running" | "ended";
  bar: CallBar | undefined;
  /** When it started, for a call still waiting for its lane. */
  startedAt: number | undefined;
  /** Its `started` record, which gets the lane once the call has one. */
  startRecord: MonitorRecord | undefined;
}

/** A moment: seconds since the run started, and the wall clock. */
export interface Moment {
  time: number;
  date: Date;
}

/** Turns call transitions into records, counts and timeline bars. */
export class CallRecorder {
  readonly #records: MonitorRecord[] = [];
  readonly #samples: CountSample[] = [{ time: 0, queued: 0, running: 0, finished: 0, cancelled: 0 }];
  readonly #bars: CallBar[] = [];
  readonly #calls = new Map<number, CallState>();
  readonly #lanes: LaneAssigner;
  readonly #tasks: string[] = [];
  readonly #counts: Counts = { queued: 0, running: 0, finished: 0, cancelled: 0 };
  #lastTime = 0;

  /**
   * @param capacity the number of workers, when known: calls without a named worker then
   * never open more than this many slot lanes (see `LaneAssigner`).
   */
  constructor(readonly capacity?: number) {
    this.#lanes = new LaneAssigner(capacity);
  }

  /** The counts now. */
  get counts(): Readonly<Counts> {
    return this.#counts;
  }

  /** Seconds since the run started of the latest transition. */
  get lastTime(): number {
    return this.#lastTime;
  }

  /** Every record so far, as fresh plain objects. */
  records(): MonitorRecord[] {
    this.#place(this.#lanes.flush());
    return this.#records.map((record) => ({ ...record }));
  }

  /** Call `id` of `task` was submitted. A second submit of the same id is ignored. */
  submitted(at: Moment, id: number, task: string): void {
    if (this.#calls.has(id)) return;
    this.#calls.set(id, { task, phase: "queued", bar: undefined, startedAt: undefined, startRecord: undefined });
    if (!this.#tasks.includes(task)) this.#tasks.push(task);
    this.#counts.queued++;
    this.#push(at, "submitted", id, task, null, undefined);
  }

  /**
   * Call `id` started, on `worker` when the executor names it. A call the recorder never saw
   * submitted (it started before the submit was reported) counts as submitted now.
   */
  started(at: Moment, id: number, task: string, worker: string | undefined): void {
    if (!this.#calls.has(id)) this.submitted(at, id, task);
    const call = this.#calls.get(id)!;
    if (call.phase !== "queued") return;
    call.phase = "running";
    call.startedAt = Math.max(at.time, this.#lastTime);
    this.#counts.queued--;
    this.#counts.running++;
    const lane = this.#lanes.take(id, worker);
    if (lane !== undefined) this.#placeBar(call, id, lane);
    call.startRecord = this.#push(at, "started", id, call.task, null, undefined);
  }

  /** Call `id` returned (`"result"`), threw (`"exception"`) or was cancelled. */
  ended(at: Moment, id: number, task: string, outcome: CallOutcome): void {
    if (!this.#calls.has(id)) this.submitted(at, id, task);
    const call = this.#calls.get(id)!;
    if (call.phase === "ended") return;
    if (call.phase === "running") this.#counts.running--;
    else this.#counts.queued--;
    call.phase = "ended";
    if (outcome === "cancelled") this.#counts.cancelled++;
    else this.#counts.finished++;
    const wasRunning = call.startedAt !== undefined;
    // A call still waiting for its lane gets one now: it ran, so it has a bar.
    if (wasRunning && call.bar === undefined) this.#place(this.#lanes.flush(id));
    if (call.bar !== undefined) {
      call.bar.end = Math.max(at.time, this.#lastTime);
      call.bar.outcome = outcome;
    }
    if (wasRunning) this.#place(this.#lanes.release(id));
    this.#push(at, outcome === "cancelled" ? "cancelled" : "done", id, call.task, outcome, call.bar);
  }

  /**
   * The timeline up to `end` seconds (at least the last transition). Its capacity is the
   * recorder's, when known; else the number of lanes used.
   */
  timeline(end: number): Timeline {
    const capacity = this.capacity;
    this.#place(this.#lanes.flush());
    const until = Math.max(end, this.#lastTime);
    return {
      end: until,
      capacity: capacity ?? Math.max(this.#lanes.labels.length, 1),
      lanes: [...this.#lanes.labels],
      tasks: [...this.#tasks],
      samples: this.#samples.map((sample) => ({ ...sample })),
      bars: this.#bars.map((bar) => ({ ...bar })),
    };
  }

  /** Busy worker-seconds up to `end`: each started call from its start to its end (or `end`). */
  busySeconds(end: number): number {
    let busy = 0;
    for (const bar of this.#bars) busy += Math.max(0, Math.min(bar.end ?? end, end) - bar.start);
    return busy;
  }

  /** Gives waiting calls the lanes the assigner found for them. */
  #place(placed: { id: number; lane: Lane } | Array<{ id: number; lane: Lane }> | undefined): void {
    if (placed === undefined) return;
    for (const { id, lane } of Array.isArray(placed) ? placed : [placed]) {
      const call = this.#calls.get(id);
      if (call !== undefined && call.bar === undefined) this.#placeBar(call, id, lane);
    }
  }

  #placeBar(call: CallState, id: number, lane: Lane): void {
    call.bar = { callId: id, task: call.task, lane: lane.index, worker: lane.label, start: call.startedAt!, end: null, outcome: "running" };
    this.#bars.push(call.bar);
    if (call.startRecord !== undefined) {
      call.startRecord.worker = lane.label;
      call.startRecord.lane = lane.index;
    }
  }

  #push(at: Moment, event: RecordEvent, id: number, task: string, outcome: CallOutcome | null, endedBar: CallBar | undefined): MonitorRecord {
    const time = Math.max(at.time, this.#lastTime);
    this.#lastTime = time;
    const bar = endedBar ?? this.#calls.get(id)?.bar;
    const record: MonitorRecord = {
      event,
      time,
      date: at.date.toISOString(),
      callId: id,
      task,
      worker: bar?.worker ?? null,
      lane: bar?.lane ?? null,
      outcome,
      ...this.#counts,
    };
    this.#records.push(record);
    const last = this.#samples[this.#samples.length - 1]!;
    // Transitions at the same instant make one step of the area plot, not a spike.
    if (last.time === time) Object.assign(last, this.#counts);
    else this.#samples.push({ time, ...this.#counts });
    return record;
  }
}
