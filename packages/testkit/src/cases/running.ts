/**
 * When a future turns `running`: once its function began in the worker (the worker's
 * `started`), not when the call was handed to a worker that still boots or imports the
 * module. The fixture module takes 300 ms to import, so a backend that reports `running` at
 * hand-over reports it before the import finished, which these cases catch.
 */

import { describe, expect, it } from "vitest";
import { type Future } from "@amltk/scheduler";
import { slowImport } from "../fixtures.js";
import { SLOW, deferred, submitOptions, type SuiteContext } from "./harness.js";

/**
 * Registers the `onRunning` cases.
 *
 * @example
 * ```ts
 * runningCases(suiteContext("processes", make, caps));
 * ```
 */
export function runningCases(ctx: SuiteContext): void {
  describe("running state", () => {
    it("calls onRunning only after the function's module finished importing", async () => {
      const executor = ctx.make({ maxWorkers: 1 });
      await executor.start();
      try {
        let runningAt = Number.NaN;
        let runningCount = 0;
        const messages: unknown[] = [];
        const out = await executor.submit(
          { id: 1, fn: slowImport.importedThenStarted, args: [], attempt: 1 },
          submitOptions({
            onRunning: () => {
              runningAt = Date.now();
              runningCount++;
            },
            onMessage: (data) => messages.push({ data, runningCount }),
          }),
        );
        expect(runningCount).toBe(1);
        // Same clock: the worker finished the import before the main side heard `started`.
        expect(runningAt).toBeGreaterThanOrEqual(out.importedAt);
        // `started` arrives before the call's Comm messages.
        expect(messages).toEqual([{ data: "started", runningCount: 1 }]);
      } finally {
        await executor.shutdown({ wait: true });
      }
    }, SLOW);

    it("a future is pending after submit and running by the time its call speaks", async () => {
      await ctx.withScheduler({ maxWorkers: 1 }, async (scheduler) => {
        const task = scheduler.task(slowImport.importedThenStarted);
        const states: string[] = [];
        const spoke = deferred<void>();
        let future: Future<unknown> | undefined;
        task.onMessage((f) => {
          states.push(`message:${f.state}`);
          spoke.resolve();
        });
        scheduler.onStart(async () => {
          future = task.submit()!;
          states.push(`submitted:${future.state}`);
          await spoke.promise;
          await future;
          states.push(`result:${future.state}`);
        });
        await scheduler.run({ timeout: SLOW });
        expect(states).toEqual(["submitted:pending", "message:running", "result:done"]);
      });
    }, SLOW);
  });
}
