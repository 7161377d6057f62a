import { describe, expect, it } from "vitest";
import {
  ExitCode,
  Scheduler,
  SchedulerAlreadyRunningError,
  SchedulerNotRunningError,
} from "../src/index.js";
import { counts, fail, identity, record } from "./helpers.js";

describe("event order (DESIGN 4.1)", () => {
  it("emits scheduler events before task events, for a result", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(identity<number>);
    const trace = record(scheduler, task);
    scheduler.onStart(() => task.submit(1));
    expect(await scheduler.run()).toEqual({ code: ExitCode.EXHAUSTED });
    expect(trace).toEqual([
      "S:start(running)",
      "S:future-submitted(running)",
      "T:submitted",
      "S:future-done(running)",
      "S:future-result(running)",
      "T:done",
      "T:result",
      "S:empty(running)",
      "S:finishing(running)",
      "S:finished",
    ]);
  });

  it("emits stop, not empty, when an error ends the run; running() is false from the error on", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(fail);
    const trace = record(scheduler, task);
    scheduler.onStart(() => task.submit("boom"));
    const state = await scheduler.run({ onException: "end" });
    expect(state.code).toBe(ExitCode.EXCEPTION);
    expect(state.error).toBeInstanceOf(RangeError);
    expect(trace).toEqual([
      "S:start(running)",
      "S:future-submitted(running)",
      "T:submitted",
      "S:future-done",
      "S:future-exception",
      "T:done",
      "T:exception",
      "S:stop",
      "S:finishing",
      "S:finished",
    ]);
  });

  it("goes on after an error with onException continue, and ends exhausted", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(fail);
    const trace = record(scheduler, task);
    scheduler.onStart(() => task.submit("boom"));
    expect(await scheduler.run({ onException: "continue" })).toEqual({ code: ExitCode.EXHAUSTED });
    expect(trace).toContain("S:future-exception(running)");
    expect(trace).toContain("S:empty(running)");
    expect(trace).not.toContain("S:stop");
  });

  it("rejects run() with the call's error by default", async () => {
    const scheduler = new Scheduler();
    scheduler.onStart(() => scheduler.submit(fail, "raised"));
    await expect(scheduler.run()).rejects.toThrow(RangeError);
    expect(scheduler.phase).toBe("idle");
  });

  it("emits per call exactly: submitted + done + result, and task events once each", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(identity<number>);
    scheduler.onStart(() => {
      task.submit(1);
      task.submit(2);
      scheduler.submit(identity, 3);
    });
    await scheduler.run();
    expect(counts(scheduler)).toEqual({
      start: 1,
      "future-submitted": 3,
      "future-done": 3,
      "future-result": 3,
      empty: 1,
      finishing: 1,
      finished: 1,
    });
    expect(counts(task)).toEqual({ submitted: 2, done: 2, result: 2 });
  });
});

describe("running() (DESIGN 4.2)", () => {
  it("is false before and after a run, and submitting then throws SchedulerNotRunningError", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(identity<number>);
    expect(scheduler.running()).toBe(false);
    expect(() => task.submit(1)).toThrow(SchedulerNotRunningError);
    expect(() => scheduler.submit(identity, 1)).toThrow(/not running/);
    await scheduler.run();
    expect(scheduler.running()).toBe(false);
    expect(() => task.submit(1)).toThrow(SchedulerNotRunningError);
  });

  it("turns false the moment stop() is called, even inside a callback", async () => {
    const scheduler = new Scheduler();
    const seen: boolean[] = [];
    scheduler.onStart(() => {
      seen.push(scheduler.running());
      scheduler.stop();
      seen.push(scheduler.running());
      expect(() => scheduler.submit(identity, 1)).toThrow(SchedulerNotRunningError);
    });
    scheduler.onStop(() => seen.push(scheduler.running()));
    scheduler.onFinishing(() => seen.push(scheduler.running()));
    expect(await scheduler.run()).toEqual({ code: ExitCode.STOPPED });
    expect(seen).toEqual([true, false, false, false]);
  });

  it("turns false when stop() is called from finishing after a timeout or exhaustion", async () => {
    const scheduler = new Scheduler();
    const seen: boolean[] = [];
    scheduler.onFinishing(() => {
      seen.push(scheduler.running());
      scheduler.stop();
      seen.push(scheduler.running());
    });
    expect(await scheduler.run()).toEqual({ code: ExitCode.EXHAUSTED });
    expect(seen).toEqual([true, false]);
  });

  it("stays true through finishing when the run is exhausted, and phase reports it", async () => {
    const scheduler = new Scheduler();
    const phases: string[] = [];
    scheduler.onStart(() => phases.push(scheduler.phase));
    scheduler.onFinishing(() => phases.push(`${scheduler.phase}:${scheduler.running()}`));
    scheduler.onFinished(() => phases.push(`${scheduler.phase}:${scheduler.running()}`));
    await scheduler.run();
    expect(phases).toEqual(["running", "running:true", "ending:false"]);
    expect(scheduler.phase).toBe("idle");
  });
});

describe("ending a run (DESIGN 4.3)", () => {
  it("ends exhausted right after start when start submitted nothing, with one empty", async () => {
    const scheduler = new Scheduler();
    const trace = record(scheduler);
    expect(await scheduler.run()).toEqual({ code: ExitCode.EXHAUSTED });
    expect(trace).toEqual(["S:start(running)", "S:empty(running)", "S:finishing(running)", "S:finished"]);
  });

  it("stop() ends the run STOPPED and passes reason and error to stop callbacks", async () => {
    const scheduler = new Scheduler();
    const stops: unknown[] = [];
    scheduler.onStop((reason, error) => stops.push(reason, error));
    scheduler.onStart(() => scheduler.stop({ reason: "budget spent" }));
    expect(await scheduler.run()).toEqual({ code: ExitCode.STOPPED });
    expect(stops).toEqual(["budget spent", undefined]);
  });

  it("stop({ error }) sends the error through onException: raise, end, continue", async () => {
    const error = new TypeError("stopped with an error");
    const scheduler = new Scheduler();
    scheduler.onStart(() => scheduler.stop({ error }));
    await expect(scheduler.run()).rejects.toBe(error);
    expect(await scheduler.run({ onException: "end" })).toEqual({ code: ExitCode.EXCEPTION, error });
    expect(await scheduler.run({ onException: "continue" })).toEqual({ code: ExitCode.STOPPED, error });
  });

  it("stop is bound and ignores arguments that are not its options", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(fail);
    const { stop } = scheduler;
    task.onException(stop);
    scheduler.onStart(() => task.submit("x"));
    const state = await scheduler.run({ onException: "continue" });
    expect(state).toEqual({ code: ExitCode.STOPPED });
    stop();
  });

  it("stops with reason aborted when the signal aborts, or at once when already aborted", async () => {
    const scheduler = new Scheduler();
    const reasons: string[] = [];
    scheduler.onStop((reason) => reasons.push(reason));
    const controller = new AbortController();
    scheduler.onStart(() => controller.abort());
    expect(await scheduler.run({ signal: controller.signal, endOnEmpty: false })).toEqual({ code: ExitCode.STOPPED });
    expect(await scheduler.run({ signal: AbortSignal.abort() })).toEqual({ code: ExitCode.STOPPED });
    expect(reasons).toEqual(["aborted", "aborted"]);
    expect(scheduler.onStart.count).toBe(1);
  });
});

describe("runs (DESIGN 4.6, 4.7)", () => {
  it("runs again after a run ended; counts and handler state persist", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(identity<number>);
    let everySecond = 0;
    scheduler.onStart(() => task.submit(1));
    scheduler.onStart(() => everySecond++, { every: 2 });
    for (let i = 0; i < 5; i++) expect((await scheduler.run()).code).toBe(ExitCode.EXHAUSTED);
    expect(scheduler.onStart.count).toBe(5);
    expect(task.onResult.count).toBe(5);
    expect(everySecond).toBe(2);
  });

  it("rejects a second concurrent run() with SchedulerAlreadyRunningError", async () => {
    const scheduler = new Scheduler();
    let second: Promise<unknown> | undefined;
    scheduler.onStart(() => {
      second = scheduler.run().catch((error: unknown) => error);
    });
    await scheduler.run();
    expect(await second).toBeInstanceOf(SchedulerAlreadyRunningError);
  });
});
