/**
 * The guide's Scheduler section: the collatz chain, submitting compute directly, and when
 * and in which order callbacks run. Each chain has one call in flight at a time, so its
 * results come in the same order on every executor.
 */

import { ExitCode } from "@amltk/scheduler";
import { describe, expect, test } from "vitest";
import { collect, example, expectNoWorkersLeft, forEachExecutor } from "./helpers.js";

forEachExecutor(() => {
  describe("collatz", () => {
    test("walks 12 down to 1 and ends by running out of work", async () => {
      const { main } = await example<typeof import("../src/collatz.js")>("collatz");
      const { lines, log } = collect();
      const { answers, exit, scheduler } = await main(log);
      expect(answers).toEqual([12, 6, 3, 10, 5, 16, 8, 4, 2, 1]);
      expect(exit.code).toBe(ExitCode.EXHAUSTED);
      expect(scheduler.tasks[0]?.eventCounts.get("result")).toBe(9);
      expect(scheduler.eventCounts.get("timeout") ?? 0).toBe(0);
      expect(lines.join("\n")).toContain("12, 6, 3, 10, 5");
      expectNoWorkersLeft(scheduler);
    });
  });

  describe("submit-compute", () => {
    test("feeds results below 10 back in: prints 4 then 16", async () => {
      const { main } = await example<typeof import("../src/submit-compute.js")>("submit-compute");
      const { lines, log } = collect();
      const { results, exit } = await main(log);
      expect(results).toEqual([4, 16]);
      expect(lines).toEqual(["4", "16"]);
      expect(exit.code).toBe(ExitCode.EXHAUSTED);
    });
  });

  describe("callback-order", () => {
    test("nothing runs before run(); then callbacks run in registration order", async () => {
      const { main } = await example<typeof import("../src/callback-order.js")>("callback-order");
      const { lines, log } = collect();
      const { startsBeforeRun, exit, scheduler } = await main(log);
      expect(startsBeforeRun).toBe(0);
      expect(lines).toEqual([
        "start emitted 0 times before run()",
        "hello 1",
        "hello 2",
        "start emitted 1 time after run()",
      ]);
      expect(scheduler.listeners("start").map((h) => [h.name, h.calls])).toEqual([
        ["printHello1", 1],
        ["printHello2", 1],
      ]);
      expect(exit.code).toBe(ExitCode.EXHAUSTED);
    });
  });
});
