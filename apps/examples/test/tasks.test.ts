/**
 * Tasks: submitting one, task events beside the scheduler's, and two chained tasks sharing
 * an exception callback.
 */

import { ExitCode } from "@amltk/scheduler";
import { describe, expect, test } from "vitest";
import { ascending, collect, example, forEachExecutor } from "./helpers.js";

forEachExecutor(({ inProcess }) => {
  describe("task-submit", () => {
    test("submitting before run() fails clearly; submitting from start works", async () => {
      const { main } = await example<typeof import("../src/task-submit.js")>("task-submit");
      const { lines, log } = collect();
      const { tooEarly, results, exit } = await main(log);
      expect(tooEarly).toMatchObject({ name: "SchedulerNotRunningError" });
      expect(lines[0]).toMatch(/^submitting before run\(\): SchedulerNotRunningError: /);
      expect(results).toEqual([16]);
      expect(exit.code).toBe(ExitCode.EXHAUSTED);
    });
  });

  describe("task-events", () => {
    test("the scheduler sees both results, the task only its own", async () => {
      const { main } = await example<typeof import("../src/task-events.js")>("task-events");
      const { lines, log } = collect();
      const { fromScheduler, fromTask, exit, scheduler } = await main(log);
      expect(fromScheduler).toBe(2);
      expect(fromTask).toBe(1);
      const hello = ["result from scheduler: hello", "result from task: hello"];
      if (inProcess) {
        expect(lines).toEqual([...hello, "result from scheduler: hi"]);
      } else {
        // The two calls may return in either order; for each call the scheduler's
        // `future-result` still comes right before the task's `result`.
        expect(lines).toHaveLength(3);
        expect(lines).toContain("result from scheduler: hi");
        const at = lines.indexOf(hello[0]!);
        expect(lines.slice(at, at + 2)).toEqual(hello);
      }
      expect(scheduler.tasks[0]?.eventCounts.get("result")).toBe(1);
      expect(exit.code).toBe(ExitCode.EXHAUSTED);
    });
  });

  describe("task-chain", () => {
    test("each item is doubled then squared; Done! once the items run out", async () => {
      const { main } = await example<typeof import("../src/task-chain.js")>("task-chain");
      const { lines, log } = collect();
      const { squares, errors, exit } = await main(log);
      // `squares` is in completion order: fixed in-process, whatever the workers give on a pool.
      if (inProcess) expect(squares).toEqual([4, 16, 36]);
      else expect(ascending(squares)).toEqual([4, 16, 36]);
      expect(errors).toEqual([]);
      expect(lines).toEqual(["Done!", `squares: ${squares.join(", ")}`]);
      expect(exit.code).toBe(ExitCode.EXHAUSTED);
    });

    test("a failing item reaches the shared exception callback and the rest still runs", async () => {
      const { main } = await example<typeof import("../src/task-chain.js")>("task-chain");
      const { log } = collect();
      const { squares, errors, exit, scheduler } = await main(log, [1, -2, 3]);
      if (inProcess) expect(squares).toEqual([4, 36]);
      else expect(ascending(squares)).toEqual([4, 36]);
      expect(errors).toEqual(["double: ValueError: cannot double a negative number (-2)"]);
      // The same function is registered on both tasks.
      const [task1, task2] = scheduler.tasks;
      expect(task1?.listeners("exception").map((h) => h.name)).toEqual(["handleTaskException"]);
      expect(task2?.listeners("exception").map((h) => h.name)).toEqual(["handleTaskException"]);
      expect(task1?.eventCounts.get("exception")).toBe(1);
      expect(task2?.eventCounts.get("result")).toBe(2);
      expect(exit.code).toBe(ExitCode.EXHAUSTED);
    });
  });
});
