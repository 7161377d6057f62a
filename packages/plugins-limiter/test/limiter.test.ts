import { describe, expect, it } from "vitest";
import { InvalidArgumentError, Scheduler, type Task } from "@amltk/scheduler";
import { Limiter } from "../src/index.js";

const identity = <T>(x: T): T => x;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function eventCounts(task: Task<any, any>) {
  return Object.fromEntries([...task.eventCounts].filter(([, n]) => n > 0));
}

describe("Limiter", () => {
  it("maxConcurrent drops submissions while the limit is reached (the guide's example)", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(identity<number>, { plugins: [new Limiter({ maxConcurrent: 2 })] });
    const items = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const results: number[] = [];
    scheduler.onStart(() => task.submit(items.shift()!), { repeat: 4 });
    task.onResult((_f, r) => results.push(r));
    task.onResult(() => {
      const next = items.shift();
      if (next !== undefined) task.submit(next);
    });
    await scheduler.run();
    expect(results).toEqual([0, 1, 4, 5, 6, 7, 8, 9]);
    expect(task.eventCounts.get("concurrent-limit-reached")).toBe(2);
  });

  it("emits concurrent-limit-reached(task, ...args) so items can be requeued", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(identity<number>, { plugins: [new Limiter({ maxConcurrent: 2 })] });
    const items = [0, 1, 2, 3, 4, 5];
    const results: number[] = [];
    const rejected: unknown[] = [];
    scheduler.onStart(() => task.submit(items.shift()!), { repeat: 4 });
    Limiter.events(task).onConcurrentLimitReached((limited, x) => {
      expect(limited).toBe(task);
      rejected.push(x);
      items.unshift(x);
    });
    task.onResult((_f, r) => {
      results.push(r);
      const next = items.shift();
      if (next !== undefined) task.submit(next);
    });
    await scheduler.run();
    expect(results.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rejected).toEqual([2, 2]);
  });

  it("maxCalls counts successful submissions, not rejected ones; one event per rejected submit", async () => {
    const scheduler = new Scheduler();
    const limiter = new Limiter({ maxCalls: 3, maxConcurrent: 1 });
    const task = scheduler.task(identity<number>, { plugins: limiter });
    scheduler.onStart(() => {
      for (let i = 0; i < 5; i++) task.submit(i);
    });
    await scheduler.run();
    // Only the first fits the concurrency limit; rejected submits do not count as calls.
    expect(eventCounts(task)).toEqual({ submitted: 1, done: 1, result: 1, "concurrent-limit-reached": 4 });
    expect(limiter.calls).toBe(1);
  });

  it("maxCalls stops submissions after n", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(identity<number>, { plugins: new Limiter({ maxCalls: 3 }) });
    const limited: unknown[][] = [];
    task.on("call-limit-reached", (...args: unknown[]) => limited.push(args));
    scheduler.onStart(() => task.submit(0));
    task.onResult((_f, r) => task.submit(r + 1));
    await scheduler.run();
    expect(task.onResult.count).toBe(3);
    expect(limited).toEqual([[task, 3]]);
  });

  it("checks maxCalls before maxConcurrent: one event, call-limit-reached, when both are hit", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(identity<number>, { plugins: new Limiter({ maxCalls: 1, maxConcurrent: 1 }) });
    scheduler.onStart(() => {
      task.submit(1);
      // Both limits are reached now: one call made, one unfinished.
      expect(task.submit(2)).toBeUndefined();
    });
    await scheduler.run();
    expect(eventCounts(task)).toEqual({ submitted: 1, done: 1, result: 1, "call-limit-reached": 1 });
  });

  it("cannot be bypassed by submitting from a future-submitted callback", async () => {
    const scheduler = new Scheduler();
    const limiter = new Limiter({ maxCalls: 1, maxConcurrent: 1 });
    const task = scheduler.task(identity<number>, { plugins: limiter });
    const refused: (number | undefined)[] = [];
    scheduler.onFutureSubmitted(() => {
      if (scheduler.running()) refused.push(task.submit(99)?.id);
    });
    scheduler.onStart(() => task.submit(1));
    await scheduler.run();
    expect(limiter.calls).toBe(1);
    expect(task.onSubmitted.count).toBe(1);
    expect(refused).toEqual([undefined]);
    expect(limiter.describe()["Calls"]).toBe("1/1");
  });

  it("notWhileRunning refuses while another task runs, with (other, task, ...args)", async () => {
    const scheduler = new Scheduler({});
    const slow = scheduler.task(async (ms: number) => {
      await sleep(ms);
      return ms;
    }, { name: "slow" });
    const quick = scheduler.task(identity<string>, { plugins: new Limiter({ notWhileRunning: slow }), name: "quick" });
    const disabled: unknown[][] = [];
    quick.on(Limiter.DISABLED_DUE_TO_RUNNING_TASK, (...args) => disabled.push(args));
    scheduler.onStart(() => {
      slow.submit(10);
      expect(quick.submit("while slow runs")).toBeUndefined();
    });
    slow.onResult(() => quick.submit("after"));
    const results: string[] = [];
    quick.onResult((_f, r) => results.push(r));
    await scheduler.run();
    expect(disabled).toEqual([[slow, quick, "while slow runs"]]);
    expect(results).toEqual(["after"]);
  });

  it("describes its state for renderings", async () => {
    const scheduler = new Scheduler();
    const other = scheduler.task(identity<number>, { name: "other" });
    const limiter = new Limiter({ maxCalls: 3, maxConcurrent: 2, notWhileRunning: [other] });
    const task = scheduler.task(identity<number>, { plugins: limiter });
    scheduler.onStart(() => {
      task.submit(1);
      task.submit(2);
    });
    await scheduler.run();
    expect(limiter.describe()).toEqual({ Calls: "2/3", Concurrent: "0/2", "Not while": "other" });
    expect(scheduler.render()).toMatch(/Plugin limiter[\s\S]*Calls\s+2\/3[\s\S]*Concurrent\s+0\/2/);
  });

  it("vetoes even when the scheduler is not running, emitting its event", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(identity<number>, { plugins: new Limiter({ maxCalls: 1 }) });
    scheduler.onStart(() => task.submit(1));
    await scheduler.run();
    const limited: unknown[] = [];
    task.on("call-limit-reached", (_task, x) => limited.push(x));
    // The veto comes before the scheduler's not-running check: undefined, not a throw.
    expect(task.submit(2)).toBeUndefined();
    expect(limited).toEqual([2]);
  });
});

describe("Limiter validation", () => {
  it.each([
    [{ maxCalls: 0 }, "options.maxCalls"],
    [{ maxCalls: 1.5 }, "options.maxCalls"],
    [{ maxConcurrent: -1 }, "options.maxConcurrent"],
    [{ notWhileRunning: [42] }, "options.notWhileRunning[0]"],
    [{ maxCall: 1 }, "options.maxCall must be one of the known options"],
    [5, "options must be an options object"],
  ])("rejects %o", (options, path) => {
    expect(() => new Limiter(options as never)).toThrow(InvalidArgumentError);
    expect(() => new Limiter(options as never)).toThrow(path);
  });

  it("belongs to a single task", () => {
    const scheduler = new Scheduler();
    const limiter = new Limiter({ maxCalls: 1 });
    scheduler.task(identity<number>, { plugins: limiter });
    expect(() => scheduler.task(identity<number>, { plugins: limiter })).toThrow(/single task per Limiter/);
  });

  it("refuses preSubmit before it is attached, with a named error", () => {
    expect(() => new Limiter({ maxCalls: 1 }).preSubmit(identity, [1])).toThrow(
      expect.objectContaining({ code: "ERR_AMLTK_PLUGIN_NOT_ATTACHED" }),
    );
  });

  it("refuses a task in its own notWhileRunning list", () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(identity<number>);
    expect(() => new Limiter({ notWhileRunning: task }).attachTask(task)).toThrow(
      /without the limited task itself/,
    );
  });
});
