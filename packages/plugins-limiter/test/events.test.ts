/**
 * `Limiter.events(task)`: the Limiter's events subscribed to through one task, with the
 * refused arguments as the task was called; and refused for a task no Limiter limits.
 */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError, Scheduler } from "@amltk/scheduler";
import { Limiter } from "../src/index.js";

const pair = (x: number, label: string) => `${label}${x}`;

describe("Limiter.events(task)", () => {
  it("delivers each refused submission's task and arguments to its subscribers", async () => {
    const scheduler = new Scheduler();
    const slow = scheduler.task((n: number) => n, { name: "slow" });
    const task = scheduler.task(pair, { plugins: new Limiter({ maxCalls: 2, maxConcurrent: 1, notWhileRunning: slow }) });
    const events = Limiter.events(task);
    const seen: unknown[][] = [];
    events.onConcurrentLimitReached((limited, x, label) => seen.push(["concurrent", limited, x, label]));
    events.onCallLimitReached((limited, x, label) => seen.push(["calls", limited, x, label]));
    events.onDisabledDueToRunningTask((other, limited, x, label) => seen.push(["disabled", other, limited, x, label]));
    scheduler.onStart(() => {
      task.submit(1, "a");
      task.submit(2, "b"); // refused: one call unfinished
    });
    let phase = 0;
    task.onResult(() => {
      phase++;
      if (phase === 1) {
        slow.submit(0);
        task.submit(3, "c"); // refused: slow is running
      }
    });
    slow.onResult(() => {
      task.submit(4, "d"); // accepted: the second call
    });
    task.onResult(() => {
      if (phase === 2) task.submit(5, "e"); // refused: maxCalls
    });
    await scheduler.run();
    expect(seen).toEqual([
      ["concurrent", task, 2, "b"],
      ["disabled", slow, task, 3, "c"],
      ["calls", task, 5, "e"],
    ]);
    expect(events.onCallLimitReached.count).toBe(1);
  });

  it("rejects a task that has no Limiter, whose subscribers would never be called", () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(pair);
    expect(() => Limiter.events(task)).toThrow(InvalidArgumentError);
    expect(() => Limiter.events(task)).toThrow(/a task with a Limiter among its plugins/);
  });
});
