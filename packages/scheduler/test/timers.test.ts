import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ExitCode, Scheduler } from "../src/index.js";
import { record, sleep, sleepFor } from "./helpers.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("timeout (DESIGN 4.3, 4.5) with fake timers", () => {
  it("ends TIMEOUT after the timeout, with empty then timeout when nothing was submitted", async () => {
    const scheduler = new Scheduler();
    const trace = record(scheduler);
    const run = scheduler.run({ timeout: 300, endOnEmpty: false });
    await vi.advanceTimersByTimeAsync(299);
    expect(scheduler.running()).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(await run).toEqual({ code: ExitCode.TIMEOUT });
    expect(trace).toEqual([
      "S:start(running)",
      "S:empty(running)",
      "S:timeout(running)",
      "S:finishing(running)",
      "S:finished",
    ]);
  });

  it("starts the clock after the start callbacks return", async () => {
    const scheduler = new Scheduler();
    scheduler.onStart(() => {
      vi.advanceTimersByTime(1000);
    });
    const run = scheduler.run({ timeout: 100, endOnEmpty: false });
    await vi.advanceTimersByTimeAsync(99);
    expect(scheduler.running()).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect((await run).code).toBe(ExitCode.TIMEOUT);
  });

  it("with wait: true delivers running calls' events between finishing and finished (fix over AMLTK)", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(sleepFor);
    const trace = record(scheduler, task);
    scheduler.onStart(() => task.submit(500));
    const run = scheduler.run({ timeout: 100 });
    await vi.advanceTimersByTimeAsync(500);
    expect(await run).toEqual({ code: ExitCode.TIMEOUT });
    expect(trace).toEqual([
      "S:start(running)",
      "S:future-submitted(running)",
      "T:submitted",
      "S:timeout(running)",
      "S:finishing(running)",
      "S:future-done",
      "S:future-result",
      "T:done",
      "T:result",
      "S:finished",
    ]);
  });

  it("with wait: false cancels running calls before finished: future-cancelled, no done", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(sleepFor);
    const trace = record(scheduler, task);
    scheduler.onStart(() => task.submit(10_000));
    const run = scheduler.run({ timeout: 100, wait: false });
    await vi.advanceTimersByTimeAsync(100);
    expect(await run).toEqual({ code: ExitCode.TIMEOUT });
    expect(trace).toEqual([
      "S:start(running)",
      "S:future-submitted(running)",
      "T:submitted",
      "S:timeout(running)",
      "S:finishing(running)",
      "S:future-cancelled",
      "T:cancelled",
      "S:finished",
    ]);
    expect(scheduler.empty()).toBe(true);
  });

  it("keeps resubmitting from future-done until the timeout when callbacks check running()", async () => {
    const scheduler = new Scheduler();
    const slow = async () => {
      await sleep(10);
      return 42;
    };
    scheduler.onStart(() => scheduler.submit(slow));
    scheduler.onFutureDone(() => {
      if (scheduler.running()) scheduler.submit(slow);
    });
    const run = scheduler.run({ timeout: 1000 });
    await vi.advanceTimersByTimeAsync(1010);
    expect(await run).toEqual({ code: ExitCode.TIMEOUT });
    expect(scheduler.onFutureResult.count).toBeGreaterThan(50);
    expect(scheduler.onFutureResult.count).toBe(scheduler.onFutureSubmitted.count);
  });
});

describe("callLater with fake timers", () => {
  it("calls the function later with its arguments while the run goes on", async () => {
    const scheduler = new Scheduler();
    const calls: string[] = [];
    scheduler.onStart(() => {
      scheduler.callLater(1000, (a: string, b: number) => {
        calls.push(`${a}${b}`);
        scheduler.stop();
      }, "late", 1);
    });
    const run = scheduler.run({ endOnEmpty: false });
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await run).toEqual({ code: ExitCode.STOPPED });
    expect(calls).toEqual(["late1"]);
  });

  it("is not work: a pending timer does not keep an endOnEmpty run alive and is dropped", async () => {
    const scheduler = new Scheduler();
    let fired = false;
    scheduler.onStart(() => scheduler.callLater(50, () => (fired = true)));
    const run = scheduler.run();
    await vi.advanceTimersByTimeAsync(0);
    expect(await run).toEqual({ code: ExitCode.EXHAUSTED });
    await vi.advanceTimersByTimeAsync(100);
    expect(fired).toBe(false);
  });

  it("returns a cancel function", async () => {
    const scheduler = new Scheduler();
    let fired = false;
    scheduler.onStart(() => {
      const cancel = scheduler.callLater(50, () => (fired = true));
      expect(cancel()).toBe(true);
      expect(cancel()).toBe(false);
      scheduler.callLater(100, () => scheduler.stop());
    });
    const run = scheduler.run({ endOnEmpty: false });
    await vi.advanceTimersByTimeAsync(100);
    expect((await run).code).toBe(ExitCode.STOPPED);
    expect(fired).toBe(false);
  });

  it("routes an error from the delayed function to onException", async () => {
    const scheduler = new Scheduler();
    const error = new Error("later");
    scheduler.onStart(() =>
      scheduler.callLater(10, () => {
        throw error;
      }),
    );
    const run = scheduler.run({ endOnEmpty: false, onException: "end" });
    await vi.advanceTimersByTimeAsync(10);
    expect(await run).toEqual({ code: ExitCode.EXCEPTION, error });
  });
});
