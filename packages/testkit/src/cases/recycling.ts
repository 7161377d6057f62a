/**
 * Recycling cases: a worker is replaced after `maxTasksPerWorker` calls.
 */

import { describe, expect } from "vitest";
import { work } from "../fixtures.js";
import { SLOW, type SuiteContext } from "./harness.js";

/**
 * Registers the recycling cases.
 *
 * @example
 * ```ts
 * recyclingCases(suiteContext("threads", make, caps));
 * ```
 */
export function recyclingCases(ctx: SuiteContext): void {
  describe("recycling", () => {
    ctx.maybe(ctx.caps.recycle, "does not recycle workers")(
      "replaces a worker after maxTasksPerWorker calls",
      async () => {
        await ctx.withScheduler({ maxWorkers: 1, maxTasksPerWorker: 2 }, async (scheduler) => {
          const seen: Array<{ pid: number; threadId: number; calls: number }> = [];
          scheduler.onStart(async () => {
            for (let i = 0; i < 6; i++) seen.push(await scheduler.submit(work.whoAmI));
          });
          await scheduler.run({ timeout: SLOW });
          expect(seen.map((s) => s.calls)).toEqual([1, 2, 1, 2, 1, 2]);
          expect(new Set(seen.map((s) => `${s.pid}:${s.threadId}`)).size).toBe(3);
        });
      },
      SLOW,
    );
  });
}
