import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LiveDisplay, Scheduler, type Callable, type Plugin, type Task } from "../src/index.js";
import { identity, sleep } from "./helpers.js";

class Counting implements Plugin {
  readonly name = "counting";
  calls = 0;
  attachTask() {}
  preSubmit(fn: Callable, args: unknown[]): [Callable, unknown[]] {
    this.calls++;
    return [fn, args];
  }
  describe() {
    return { Calls: `${this.calls}/3` };
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("render", () => {
  it("shows the executor, events with counts and named handlers, tasks with plugin state", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(function collatz(n: number) {
      return n / 2;
    }, { plugins: [new Counting()] });
    scheduler.onStart(function launch() {
      task.submit(12);
      task.submit(6);
    });
    scheduler.onEmpty(() => {}, { hidden: true, name: "plumbing" });
    await scheduler.run();
    const text = scheduler.render();
    expect(text).toContain("Scheduler");
    expect(text).toContain("Executor  sequential");
    expect(text).toContain("@start 1");
    expect(text).toContain("launch (1)");
    expect(text).toContain("@future-result 2");
    expect(text).not.toContain("plumbing");
    expect(text).toContain("Task collatz");
    expect(text).toContain("Plugin counting");
    expect(text).toMatch(/Calls\s+2\/3/);
    expect(String(scheduler)).toBe(text);
  });

  it("lists in-flight calls with their state while running", async () => {
    const scheduler = new Scheduler();
    let snapshot = "";
    const wait = async (ms: number) => sleep(ms);
    scheduler.onStart(() => {
      scheduler.submit(wait, 20);
      scheduler.submit(identity, "x");
      snapshot = scheduler.render();
    });
    await scheduler.run();
    expect(snapshot).toContain("Scheduler (running)");
    expect(snapshot).toContain("Queue (2)");
    expect(snapshot).toContain("pending wait(20)");
    expect(snapshot).toContain('pending identity("x")');
  });
});

describe("live display", () => {
  it("does nothing when stdout is not a TTY", async () => {
    const write = vi.spyOn(process.stdout, "write");
    const isTTY = process.stdout.isTTY;
    Object.defineProperty(process.stdout, "isTTY", { value: false, configurable: true });
    try {
      const scheduler = new Scheduler();
      scheduler.onStart(() => scheduler.submit(identity, 1));
      await scheduler.run({ display: true });
      expect(write).not.toHaveBeenCalled();
    } finally {
      Object.defineProperty(process.stdout, "isTTY", { value: isTTY, configurable: true });
    }
  });

  it("redraws in place on a TTY and draws the final state at stop", () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream & { isTTY: boolean };
    stream.isTTY = true;
    let chunks = "";
    (stream as unknown as PassThrough).on("data", (c: Buffer) => (chunks += c.toString()));
    let n = 0;
    const display = LiveDisplay.start(() => [`frame ${++n}`, "line two"], (e) => { throw e; }, stream, [])!;
    display.draw();
    display.stop();
    expect(chunks).toContain("frame 1\nline two\n");
    // Each redraw erases the two previous lines, moving up, then draws.
    const erase = "\r\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K";
    expect(chunks).toContain(`${erase}frame 2`);
    expect(chunks).toContain(`${erase}frame 3`);
  });

  it("reports a render error from a timed redraw once, and stops redrawing", () => {
    vi.useFakeTimers();
    try {
      const stream = new PassThrough() as unknown as NodeJS.WriteStream & { isTTY: boolean };
      stream.isTTY = true;
      let fail = false;
      const errors: unknown[] = [];
      const display = LiveDisplay.start(
        () => {
          if (fail) throw new Error("describe() broke");
          return ["ok"];
        },
        (error) => errors.push(error),
        stream,
        [],
      )!;
      fail = true;
      vi.advanceTimersByTime(1000);
      expect(errors).toHaveLength(1);
      expect((errors[0] as Error).message).toBe("describe() broke");
      fail = false;
      display.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it("returns undefined for a stream that is not a TTY", () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    expect(LiveDisplay.start(() => ["x"], () => {}, stream)).toBeUndefined();
  });
});

export type { Task };
