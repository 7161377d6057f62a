/**
 * Task-context cases: a function sees its attempt, its signal, and its remaining time, which
 * follows the call's deadline where one is given and is `Infinity` without one.
 */

import { describe, expect, it } from "vitest";
import { work } from "../fixtures.js";
import { SLOW, submitOptions, type SuiteContext } from "./harness.js";

/**
 * Registers the task-context cases.
 *
 * @example
 * ```ts
 * contextCases(suiteContext("threads", make, caps));
 * ```
 */
export function contextCases(ctx: SuiteContext): void {
  describe("task context", () => {
    it("gives the function its taskContext", async () => {
      await ctx.withScheduler({}, async (scheduler) => {
        let seen: unknown;
        scheduler.onStart(async () => {
          seen = await scheduler.submit(work.context);
        });
        await scheduler.run({ timeout: SLOW });
        expect(seen).toEqual({ attempt: 1, aborted: false, remaining: Number.POSITIVE_INFINITY });
      });
    }, SLOW);

    it("remainingTime() counts down to the call's deadline, and is Infinity without one", async () => {
      const executor = ctx.make({ maxWorkers: 1 });
      await executor.start();
      try {
        const limited = (await executor.submit(
          { id: 1, fn: work.context, args: [], attempt: 2, deadline: Date.now() + 5000 },
          submitOptions(),
        )) as { attempt: number; remaining: number };
        expect(limited.attempt).toBe(2);
        expect(limited.remaining).toBeGreaterThan(0);
        expect(limited.remaining).toBeLessThanOrEqual(5000);
        const unlimited = (await executor.submit({ id: 2, fn: work.context, args: [], attempt: 1 }, submitOptions())) as {
          remaining: number;
        };
        expect(unlimited.remaining).toBe(Number.POSITIVE_INFINITY);
      } finally {
        await executor.shutdown({ wait: true });
      }
    }, SLOW);
  });
}
