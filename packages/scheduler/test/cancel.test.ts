import { describe, expect, it } from "vitest";
import { CancelledError, ExitCode, Scheduler, SequentialExecutor, taskContext, type Future } from "../src/index.js";
import { identity, record, sleep } from "./helpers.js";

/** Waits until its signal aborts (or `ms` pass), reporting which. */
async function waitForAbort(ms: number): Promise<string> {
  const { signal } = taskContext();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("finished"), ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve("aborted");
    });
  });
}

describe("cancelling calls", () => {
  it("cancelling a queued call drops it: future-cancelled, task cancelled, no done", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(identity<number>);
    const trace = record(scheduler, task);
    let future: Future<number> | undefined;
    scheduler.onStart(() => {
      future = task.submit(1);
      future!.cancel();
    });
    expect(await scheduler.run({ onCancelled: "continue" })).toEqual({ code: ExitCode.EXHAUSTED });
    expect(future!.state).toBe("cancelled");
    await expect(future!).rejects.toBeInstanceOf(CancelledError);
    expect(trace).toEqual([
      "S:start(running)",
      "S:future-submitted(running)",
      "T:submitted",
      "S:future-cancelled(running)",
      "T:cancelled",
      "S:empty(running)",
      "S:finishing(running)",
      "S:finished",
    ]);
    expect(task.nRunning).toBe(0);
  });

  it("onCancelled raise (the default) rejects run() with the CancelledError; end returns CANCELLED", async () => {
    const scheduler = new Scheduler();
    scheduler.onStart(() => scheduler.submit(identity, 1).cancel());
    await expect(scheduler.run()).rejects.toBeInstanceOf(CancelledError);
    const state = await scheduler.run({ onCancelled: "end" });
    expect(state.code).toBe(ExitCode.CANCELLED);
    expect(state.error).toBeInstanceOf(CancelledError);
  });

  it("cancelling a running async call aborts its taskContext().signal and reports it at once", async () => {
    const scheduler = new Scheduler();
    const observed: string[] = [];
    scheduler.onStart(() => {
      const future = scheduler.submit(waitForAbort, 10_000);
      void future.then(
        () => observed.push("resolved"),
        (error: unknown) => observed.push((error as Error).name),
      );
      setTimeout(() => future.cancel(), 10);
    });
    scheduler.onFutureCancelled((future) => observed.push(future.state));
    expect(await scheduler.run({ onCancelled: "continue" })).toEqual({ code: ExitCode.EXHAUSTED });
    expect(observed).toEqual(["cancelled", "CancelledError"]);
  });

  it("run({ wait: false }) cancels queued and running calls and returns promptly", async () => {
    const scheduler = new Scheduler({ executor: new SequentialExecutor({ concurrency: 1 }) });
    const states: string[] = [];
    scheduler.onStart(() => {
      scheduler.submit(waitForAbort, 60_000);
      scheduler.submit(waitForAbort, 60_000);
      setTimeout(() => scheduler.stop(), 10);
    });
    scheduler.onFutureCancelled((future) => states.push(future.state));
    const started = Date.now();
    expect(await scheduler.run({ wait: false })).toEqual({ code: ExitCode.STOPPED });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(states).toEqual(["cancelled", "cancelled"]);
    expect(scheduler.onFutureDone.count).toBe(0);
  });

  it("an in-process call that ignores its signal is reported cancelled and its late result dropped", async () => {
    const scheduler = new Scheduler();
    let resolvedLate = false;
    scheduler.onStart(() => {
      scheduler.submit(async () => {
        await sleep(30);
        resolvedLate = true;
        return "late";
      });
      scheduler.stop();
    });
    expect(await scheduler.run({ wait: false })).toEqual({ code: ExitCode.STOPPED });
    expect(scheduler.onFutureCancelled.count).toBe(1);
    await sleep(50);
    expect(resolvedLate).toBe(true);
    expect(scheduler.onFutureResult.count).toBe(0);
  });
});
