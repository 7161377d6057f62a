import { describe, expect, it } from "vitest";
import {
  ExitCode,
  FunctionNotFoundError,
  InvalidArgumentError,
  Scheduler,
  SequentialExecutor,
  fromModule,
  taskContext,
} from "../src/index.js";
import { concurrencyProbe, increment } from "./helpers.js";

const work = fromModule<typeof import("./fixtures/work.js")>(new URL("./fixtures/work.js", import.meta.url));

describe("SequentialExecutor", () => {
  it("runs calls one at a time in submit order, asynchronously after submit returns", async () => {
    const scheduler = new Scheduler();
    const order: string[] = [];
    const note = (label: string) => order.push(label);
    scheduler.onStart(() => {
      scheduler.submit(note, "a");
      scheduler.submit(note, "b");
      order.push("submitted");
    });
    await scheduler.run();
    expect(order).toEqual(["submitted", "a", "b"]);
  });

  it("awaits async functions, one at a time by default", async () => {
    const scheduler = new Scheduler();
    const probe = concurrencyProbe();
    scheduler.onStart(() => {
      for (let i = 0; i < 4; i++) scheduler.submit(probe.job);
    });
    await scheduler.run();
    expect(probe.maxActive).toBe(1);
    expect(scheduler.onFutureResult.count).toBe(4);
  });

  it("interleaves up to `concurrency` async calls", async () => {
    const scheduler = Scheduler.withSequential({ concurrency: 3 });
    const probe = concurrencyProbe();
    scheduler.onStart(() => {
      for (let i = 0; i < 8; i++) scheduler.submit(probe.job);
    });
    await scheduler.run();
    expect(probe.maxActive).toBe(3);
  });

  it("runs FunctionRefs from fromModule and reports a missing export as the call's error", async () => {
    const scheduler = new Scheduler();
    const results: number[] = [];
    const missing = (work as unknown as Record<string, typeof work.collatz>)["colatz"]!;
    scheduler.onStart(() => {
      scheduler.submit(work.collatz, 12);
      scheduler.submit(missing, 3);
    });
    scheduler.onFutureResult((_f, value: number) => results.push(value));
    const state = await scheduler.run({ onException: "end" });
    expect(results).toEqual([6]);
    expect(state.code).toBe(ExitCode.EXCEPTION);
    expect(state.error).toBeInstanceOf(FunctionNotFoundError);
  });

  it("gives the function a task context with attempt and signal", async () => {
    const scheduler = new Scheduler();
    scheduler.onStart(() => scheduler.submit(work.attemptAndSignal));
    let seen: unknown;
    scheduler.onFutureResult((_f, value) => (seen = value));
    await scheduler.run();
    expect(seen).toEqual({ attempt: 1, aborted: false });
    expect(() => taskContext()).toThrow();
  });

  it("chains 100,000 calls from result callbacks without growing the stack", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(work.stackDepth);
    const depths: number[] = [];
    let calls = 0;
    scheduler.onStart(() => task.submit(false));
    task.onResult((_future, depth) => {
      calls++;
      if (calls === 10 || calls === 100_000) depths.push(depth);
      if (calls < 100_000) task.submit(calls === 9 || calls === 99_999);
    });
    expect(await scheduler.run()).toEqual({ code: ExitCode.EXHAUSTED });
    expect(calls).toBe(100_000);
    expect(depths[0]).toBeGreaterThan(0);
    expect(depths[1]).toBe(depths[0]);
  });

  it("lets timers fire during an endless chain of calls, so a timeout ends it", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(increment);
    scheduler.onStart(() => task.submit(0));
    task.onResult((_future, n) => {
      if (scheduler.running()) task.submit(n);
    });
    expect(await scheduler.run({ timeout: 50 })).toEqual({ code: ExitCode.TIMEOUT });
    expect(task.onResult.count).toBeGreaterThan(0);
  });

  it("rejects a bad concurrency and refuses calls before start", async () => {
    expect(() => new SequentialExecutor({ concurrency: 0 })).toThrow(InvalidArgumentError);
    const executor = new SequentialExecutor();
    const options = { signal: AbortSignal.abort(), cancelRequested: false, onCancel() {}, onRunning() {}, onMessage() {}, onRequest: () => Promise.resolve() };
    await expect(executor.submit({ id: 1, fn: increment, args: [1], attempt: 1 }, options)).rejects.toThrow(
      /not started/,
    );
  });
});
