/**
 * The host's `observeRunning` hook, which tools such as @amltk/monitor use to see when a call
 * starts: one notification per start, with the future already `"running"`, and none after
 * unsubscribing.
 */
import { describe, expect, it } from "vitest";
import { Scheduler, SequentialExecutor, taskHost, type Future } from "../src/index.js";
import { fail, identity, sleepFor } from "./helpers.js";

describe("observeRunning", () => {
  it("reports each call once, when it starts, with the future already running", async () => {
    const scheduler = new Scheduler({ executor: new SequentialExecutor({ concurrency: 2 }) });
    const seen: string[] = [];
    scheduler[taskHost].observeRunning!((future: Future<any>) => seen.push(`start ${future.id} ${future.state}`));
    scheduler.onFutureDone((future) => seen.push(`done ${future.id}`));
    const task = scheduler.task(sleepFor);
    scheduler.onStart(() => {
      task.submit(20);
      task.submit(10);
      task.submit(1);
    });
    await scheduler.run();
    expect(seen.filter((line) => line.startsWith("start"))).toEqual([
      "start 1 running",
      "start 2 running",
      "start 3 running",
    ]);
    // The third call waits for a free slot: it starts only after the second finished.
    expect(seen.indexOf("start 3 running")).toBeGreaterThan(seen.indexOf("done 2"));
  });

  it("stops reporting once unsubscribed, and each registration is its own observer", async () => {
    const scheduler = new Scheduler();
    const seen: number[] = [];
    const observer = (future: Future<any>) => seen.push(future.id);
    const off = scheduler[taskHost].observeRunning!(observer);
    scheduler[taskHost].observeRunning!(observer);
    scheduler.onStart(() => scheduler.submit(identity, 1));
    await scheduler.run();
    expect(seen).toEqual([1, 1]);
    off();
    await scheduler.run();
    expect(seen).toEqual([1, 1, 2]);
  });

  it("routes an observer's error to the run's policy instead of the executor", async () => {
    const scheduler = new Scheduler();
    scheduler[taskHost].observeRunning!(() => fail("observer broke"));
    scheduler.onStart(() => scheduler.submit(identity, 1));
    const results: unknown[] = [];
    scheduler.onFutureResult((_future, value) => results.push(value));
    await expect(scheduler.run({ onException: "raise" })).rejects.toThrow("observer broke");
    // The call itself still ran to completion: the executor never saw the error.
    expect(results).toEqual([1]);
  });
});
