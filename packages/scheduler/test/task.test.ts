import { describe, expect, it } from "vitest";
import { Event, ExitCode, Scheduler, Task, type Callable, type Plugin } from "../src/index.js";
import { counts, identity, record } from "./helpers.js";

class Doubler implements Plugin {
  readonly name = "doubler";
  attached: Task<any, any>[] = [];
  attachTask(task: Task<any, any>) {
    this.attached.push(task);
  }
  preSubmit(fn: Callable, args: unknown[]): [Callable, unknown[]] {
    return [fn, args.map((a) => (a as number) * 2)];
  }
}

class Veto implements Plugin {
  readonly name = "veto";
  attachTask() {}
  preSubmit(): undefined {
    return undefined;
  }
}

describe("Task", () => {
  it("emits its own events only for its own calls", async () => {
    const scheduler = new Scheduler();
    const echo = scheduler.task(identity<string>);
    const fromTask: string[] = [];
    const fromScheduler: string[] = [];
    scheduler.onStart(() => {
      echo.submit("hello");
      scheduler.submit(identity, "hi");
    });
    echo.onResult((_f, msg) => fromTask.push(msg));
    scheduler.onFutureResult((_f, msg) => fromScheduler.push(msg as string));
    await scheduler.run();
    expect(fromTask).toEqual(["hello"]);
    expect(fromScheduler).toEqual(["hello", "hi"]);
  });

  it("passes (future, ...args) to submitted callbacks and tracks running futures", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task((a: number, b: string) => `${a}${b}`);
    const seen: unknown[] = [];
    scheduler.onStart(() => {
      task.submit(1, "x");
      seen.push(task.nRunning, task.running(), task.futures.length);
    });
    task.onSubmitted((future, a, b) => seen.push(future.id, a, b));
    task.onResult((future, result) => seen.push(future.result(), result, task.nRunning));
    await scheduler.run();
    expect(seen).toEqual([1, 1, "x", 1, true, 1, "1x", "1x", 0]);
    expect(task.running()).toBe(false);
  });

  it("plugins attach once, rewrite arguments in order, and a veto returns undefined", async () => {
    const scheduler = new Scheduler();
    const doubler = new Doubler();
    const task = scheduler.task(identity<number>, { plugins: [doubler, new Doubler()] });
    const vetoed = scheduler.task(identity<number>, { plugins: new Veto() });
    expect(doubler.attached).toEqual([task]);
    // A veto returns undefined silently, even when not running.
    expect(vetoed.submit(1)).toBeUndefined();
    const results: number[] = [];
    const submittedArgs: unknown[] = [];
    scheduler.onStart(() => {
      task.submit(3);
      expect(vetoed.submit(1)).toBeUndefined();
    });
    task.onSubmitted((_f, x) => submittedArgs.push(x));
    task.onResult((_f, r) => results.push(r));
    await scheduler.run();
    expect(results).toEqual([12]);
    expect(submittedArgs).toEqual([12]);
    expect(counts(vetoed)).toEqual({});
  });

  it("routes errors from task callbacks to the run's policy", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(identity<number>);
    const error = new Error("task callback");
    scheduler.onStart(() => task.submit(1));
    task.onResult(() => {
      throw error;
    });
    expect(await scheduler.run({ onException: "end" })).toEqual({ code: ExitCode.EXCEPTION, error });
  });

  it("can be subclassed with an event of its own", async () => {
    class SeedTask extends Task<[seed: number], number> {
      static readonly LONGEST = new Event<[count: number]>("longest");
      readonly onLongest = this.subscriber(SeedTask.LONGEST);
      best = 0;
      constructor(scheduler: Scheduler) {
        super((seed: number) => seed % 7, scheduler, { name: "seed" });
        this.onResult((_f, count) => {
          if (count > this.best) {
            this.best = count;
            this.onLongest.emit(count);
          }
        });
      }
    }
    const scheduler = new Scheduler();
    const task = new SeedTask(scheduler);
    const longest: number[] = [];
    task.onLongest((count) => longest.push(count));
    scheduler.onStart(() => [3, 1, 5, 13, 2].forEach((seed) => task.submit(seed)));
    await scheduler.run();
    expect(longest).toEqual([3, 5, 6]);
    expect(scheduler.tasks).toContain(task);
    expect(task.on("longest", () => {})).toBeTypeOf("function");
  });

  it("orders scheduler events before task events for several tasks sharing a callback", async () => {
    const scheduler = new Scheduler();
    const a = scheduler.task((x: number) => x * 2, { name: "a" });
    const b = scheduler.task((x: number) => x ** 2, { name: "b" });
    const trace = record(scheduler);
    const done: string[] = [];
    scheduler.onStart(() => a.submit(1));
    a.onResult((_f, r) => b.submit(r));
    const note = (future: { taskName?: string | undefined }) => done.push(future.taskName ?? "?");
    a.onDone(note);
    b.onDone(note);
    await scheduler.run();
    expect(done).toEqual(["a", "b"]);
    expect(trace.filter((t) => t.startsWith("S:future-result"))).toHaveLength(2);
  });
});
