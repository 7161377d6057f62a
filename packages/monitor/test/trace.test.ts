/**
 * trace(): every event as a JSON line, on disk as it happens; readTrace() and the amltk-trace
 * command turn it back into the monitor's records and plot.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Event, InvalidArgumentError, Scheduler, SequentialExecutor } from "@amltk/scheduler";
import { describe, expect, it } from "vitest";
import { QueueMonitor, TraceFormatError, readTrace, renderTraceCommand, trace, type TraceLine } from "../src/index.js";
import { barsOf, nap, napThenFail, tempDir } from "./helpers.js";

function lines(file: string): TraceLine[] {
  return readFileSync(file, "utf8")
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as TraceLine);
}

/** A run with two tasks, a failure and a timeout, traced and monitored. */
async function tracedRun(file: string): Promise<{ monitor: QueueMonitor; seenDuringRun: string[] }> {
  const scheduler = new Scheduler({ executor: new SequentialExecutor({ concurrency: 2 }) });
  const monitor = new QueueMonitor(scheduler);
  const tracing = trace(scheduler, file);
  const fit = scheduler.task(nap, { name: "fit" });
  const score = scheduler.task(napThenFail, { name: "score" });
  const seenDuringRun: string[] = [];
  scheduler.onStart(() => {
    fit.submit(5);
    fit.submit(10);
    score.submit(1);
  });
  fit.onResult(() => {
    // What a crash right now would leave behind.
    if (seenDuringRun.length === 0) seenDuringRun.push(...lines(file).map((line) => line.event));
  });
  await scheduler.run({ onException: "continue" });
  tracing.close();
  return { monitor, seenDuringRun };
}

describe("trace", () => {
  it("writes every scheduler event, the call starts, and each call's task, worker, duration and error", async () => {
    const file = join(tempDir(), "run.jsonl");
    await tracedRun(file);
    const all = lines(file);
    expect(all[0]).toMatchObject({ event: "trace-start", source: "trace", executor: "sequential", workers: 2, version: 1 });
    const events = all.map((line) => line.event);
    expect(events[1]).toBe("start");
    expect(events.slice(-3)).toEqual(["empty", "finishing", "finished"]);
    for (const id of [1, 2, 3]) {
      expect(all.filter((line) => line.callId === id).map((line) => line.event).slice(0, 2)).toEqual(["future-submitted", "future-running"]);
    }
    const failed = all.find((line) => line.event === "future-exception")!;
    expect(failed).toMatchObject({ task: "score", callId: 3, attempt: 1, error: "RangeError", worker: null });
    expect(failed.duration).toBeGreaterThan(0);
    const result = all.find((line) => line.event === "future-result" && line.callId === 2)!;
    expect(result).toMatchObject({ task: "fit", error: null });
    expect(result.duration).toBeGreaterThanOrEqual(0.005);
    for (const line of all) expect(Number.isNaN(Date.parse(line.date))).toBe(false);
    // Times never go backwards.
    expect(all.map((line) => line.time)).toEqual([...all.map((line) => line.time)].sort((a, b) => a - b));
  });

  it("has each event on disk before the next callback runs, so a crash leaves the trace", async () => {
    const file = join(tempDir(), "run.jsonl");
    const { seenDuringRun } = await tracedRun(file);
    expect(seenDuringRun).toContain("start");
    expect(seenDuringRun).toContain("future-running");
    expect(seenDuringRun.at(-1)).toBe("future-result");
  });

  it("reads back into the same bars, lanes and records as the live monitor", async () => {
    const file = join(tempDir(), "run.jsonl");
    const { monitor } = await tracedRun(file);
    const read = readTrace(file);
    const live = monitor.timeline();
    const strip = (bars: typeof live.bars) => bars.map((bar) => [bar.callId, bar.task, bar.lane, bar.worker, bar.outcome]);
    expect(strip(read.timeline.bars)).toEqual(strip(live.bars));
    expect(read.timeline.lanes).toEqual(live.lanes);
    expect(read.timeline.capacity).toBe(2);
    expect(read.records.map((r) => [r.event, r.callId, r.queued, r.running])).toEqual(
      monitor.records().map((r) => [r.event, r.callId, r.queued, r.running]),
    );
  });

  it("reads a trace whose last line a crash cut off, and names a bad line", () => {
    const dir = tempDir();
    const file = join(dir, "cut.jsonl");
    const date = new Date().toISOString();
    const line = (event: string, callId: number | null, time: number) =>
      JSON.stringify({ time, date, event, source: "scheduler", task: "fit", callId, attempt: 1, worker: null, duration: null, error: null });
    writeFileSync(file, [line("start", null, 0), line("future-submitted", 1, 0.1), line("future-running", 1, 0.2)].join("\n") + "\n");
    appendFileSync(file, '{"time":0.3,"ev');
    const { timeline } = readTrace(file);
    expect(timeline.bars).toEqual([{ callId: 1, task: "fit", lane: 0, worker: "slot 0", start: 0.2, end: null, outcome: "running" }]);
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, `${line("start", null, 0)}\nnot json\n${line("finished", null, 1)}\n`);
    expect(() => readTrace(bad)).toThrow(TraceFormatError);
    expect(() => readTrace(bad)).toThrow(/bad.jsonl:2 is not a trace record/);
  });

  it("writes a task's own events (a plugin's, say) once, and not the task's copies of the future-* events", async () => {
    const file = join(tempDir(), "run.jsonl");
    const scheduler = new Scheduler();
    const tracing = trace(scheduler, file);
    const fit = scheduler.task(nap, { name: "fit" });
    const budget = new Event<[]>("budget-spent");
    fit.addEvent(budget);
    scheduler.onStart(() => {
      fit.submit(1);
      fit.emit(budget);
    });
    await scheduler.run();
    tracing.close();
    const taskLines = lines(file).filter((line) => line.source === "task");
    expect(taskLines.map((line) => [line.event, line.task])).toEqual([["budget-spent", "fit"]]);
    expect(lines(file).filter((line) => line.event === "future-result")).toHaveLength(1);
  });

  it("rejects a bad file or scheduler without touching the file", () => {
    const file = join(tempDir(), "keep.jsonl");
    writeFileSync(file, "precious\n");
    expect(() => trace({} as never, file)).toThrow(InvalidArgumentError);
    expect(readFileSync(file, "utf8")).toBe("precious\n");
    expect(() => trace(new Scheduler(), "")).toThrow(/file must be a non-empty path/);
  });
});

describe("amltk-trace", () => {
  const output = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
  };

  it("renders a trace to SVG and CSV", async () => {
    const dir = tempDir();
    const file = join(dir, "run.jsonl");
    await tracedRun(file);
    const { out, io } = output();
    const code = renderTraceCommand([file, "--svg", join(dir, "run.svg"), "--csv", join(dir, "run.csv"), "--title", "replay"], io);
    expect(code).toBe(0);
    const svg = readFileSync(join(dir, "run.svg"), "utf8");
    expect(barsOf(svg).map((bar) => bar["call-id"])).toEqual(["1", "2", "3"]);
    expect(svg).toContain(">replay<title>");
    expect(readFileSync(join(dir, "run.csv"), "utf8").split("\n")[0]).toMatch(/^event,time,date,callId/);
    expect(out.join("")).toContain("3 calls on 2 lanes");
  });

  it("prints help, and exits 2 with a clear message on bad arguments", () => {
    const dir = tempDir();
    const help = output();
    expect(renderTraceCommand(["--help"], help.io)).toBe(0);
    expect(help.out.join("")).toContain("Usage: amltk-trace FILE --svg OUT.svg");
    const cases: Array<[string[], RegExp]> = [
      [[], /missing the trace FILE/],
      [["a.jsonl"], /missing --svg OUT.svg/],
      [["a.jsonl", "--svg", "a.svg", "--colour", "red"], /Unknown option '--colour'/],
      [["a.jsonl", "b.jsonl", "--svg", "a.svg"], /expected one trace FILE, got 2/],
      [["a.jsonl", "--svg", "a.svg", "--width", "wide"], /--width must be a whole number of pixels/],
      [["a.jsonl", "--svg", "a.svg", "--width", "100"], /--width must be an integer from 480/],
    ];
    for (const [argv, message] of cases) {
      const { err, io } = output();
      expect(renderTraceCommand(argv, io)).toBe(2);
      expect(err.join("")).toMatch(message);
    }
    const missing = output();
    expect(renderTraceCommand([join(dir, "none.jsonl"), "--svg", join(dir, "x.svg")], missing.io)).toBe(1);
    expect(missing.err.join("")).toMatch(/ENOENT/);
    expect(existsSync(join(dir, "x.svg"))).toBe(false);
  });

  it("is a bin with a shebang that exits 2 on a bad flag", () => {
    const bin = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
    expect(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    const run = spawnSync(process.execPath, [bin, "--bogus"], { encoding: "utf8", timeout: 10_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("amltk-trace: Unknown option '--bogus'");
  });
});
