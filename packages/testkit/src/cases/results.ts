/**
 * Result cases: values go both ways unaltered, calls chain from result callbacks, and the
 * events of a call come in the documented order.
 */

import { describe, expect, it } from "vitest";
import { ExitCode } from "@amltk/scheduler";
import { work } from "../fixtures.js";
import { SLOW, settled, type SuiteContext } from "./harness.js";

/**
 * Registers the result cases.
 *
 * @example
 * ```ts
 * resultCases(suiteContext("threads", make, caps));
 * ```
 */
export function resultCases(ctx: SuiteContext): void {
  describe("results", () => {
    it("chains calls from result callbacks, 2 in flight", async () => {
      await ctx.withScheduler({}, async (scheduler) => {
        const task = scheduler.task(work.increment);
        const seen: number[] = [];
        scheduler.onStart(() => {
          task.submit(0);
          task.submit(1000);
        });
        task.onResult((_f, r) => {
          seen.push(r);
          if (r % 1000 < 25) task.submit(r);
        });
        const exit = await scheduler.run({ timeout: SLOW });
        expect(exit.code).toBe(ExitCode.EXHAUSTED);
        expect(seen.filter((r) => r < 1000)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
        expect(seen.filter((r) => r >= 1000)).toEqual(Array.from({ length: 25 }, (_, i) => 1001 + i));
      });
    }, SLOW);

    it("carries structured values both ways and runs async functions", async () => {
      await ctx.withScheduler({}, async (scheduler) => {
        const value = { n: 1, s: "x", list: [1, [2]], map: new Map([["k", 1]]), date: new Date(0), bytes: new Uint8Array([1, 2]) };
        let echoed: unknown;
        let slept: unknown;
        scheduler.onStart(async () => {
          echoed = await scheduler.submit(work.echo, value);
          slept = await scheduler.submit(work.sleep, 10, "late");
        });
        await scheduler.run({ timeout: SLOW });
        expect(echoed).toEqual(value);
        expect(slept).toBe("late");
      });
    }, SLOW);

    it("emits the events of a call in the documented order", async () => {
      await ctx.withScheduler({}, async (scheduler) => {
        const order: string[] = [];
        const task = scheduler.task(work.increment);
        const failing = scheduler.task(work.throwBuiltin);
        for (const event of ["future-submitted", "future-done", "future-result", "future-exception"] as const) {
          scheduler.on(event, () => order.push(event));
        }
        task.onSubmitted(() => order.push("submitted"));
        task.onDone(() => order.push("done"));
        task.onResult(() => order.push("result"));
        failing.onSubmitted(() => order.push("submitted"));
        failing.onDone(() => order.push("done"));
        failing.onException(() => order.push("exception"));
        scheduler.onStart(async () => {
          await task.submit(1);
          await settled(failing.submit("Error", "x")!);
        });
        await scheduler.run({ timeout: SLOW, onException: "continue" });
        expect(order).toEqual([
          "future-submitted", "submitted", "future-done", "future-result", "done", "result",
          "future-submitted", "submitted", "future-done", "future-exception", "done", "exception",
        ]);
      });
    }, SLOW);
  });
}
