/**
 * Lifecycle cases: an executor refuses calls outside start/shutdown, restarts, and a scheduler
 * runs twice on one executor.
 */

import { describe, expect, it } from "vitest";
import { ExecutorNotStartedError, ExitCode } from "@amltk/scheduler";
import { work } from "../fixtures.js";
import { SLOW, submitOptions, type SuiteContext } from "./harness.js";

/**
 * Registers the lifecycle cases.
 *
 * @example
 * ```ts
 * lifecycleCases(suiteContext("threads", make, caps));
 * ```
 */
export function lifecycleCases(ctx: SuiteContext): void {
  describe("lifecycle", () => {
    it("refuses calls before start and after shutdown, and can start again", async () => {
      const executor = ctx.make({ maxWorkers: 2 });
      const call = { id: 1, fn: work.increment, args: [1], attempt: 1 };
      await expect(executor.submit(call, submitOptions())).rejects.toBeInstanceOf(ExecutorNotStartedError);
      await executor.start();
      let running = 0;
      expect(await executor.submit(call, submitOptions({ onRunning: () => running++ }))).toBe(2);
      expect(running).toBe(1);
      const pids = new Set(ctx.caps.inspect?.(executor).pids ?? []);
      await executor.shutdown({ wait: true });
      await expect(executor.submit({ ...call, id: 2 }, submitOptions())).rejects.toBeInstanceOf(ExecutorNotStartedError);
      await executor.start();
      expect(await executor.submit({ ...call, id: 3, args: [41] }, submitOptions())).toBe(42);
      for (const pid of ctx.caps.inspect?.(executor).pids ?? []) pids.add(pid);
      // A start during a shutdown in progress waits for it, and leaves a usable executor.
      const stopping = executor.shutdown({ wait: true });
      await executor.start();
      await stopping;
      expect(await executor.submit({ ...call, id: 4, args: [1] }, submitOptions())).toBe(2);
      for (const pid of ctx.caps.inspect?.(executor).pids ?? []) pids.add(pid);
      await executor.shutdown({ wait: true });
      await ctx.expectNoLeftovers(executor, pids);
      expect(typeof executor.kind).toBe("string");
      expect(typeof executor.describe()).toBe("object");
    }, SLOW);

    it("a scheduler runs twice on the same executor", async () => {
      await ctx.withScheduler({}, async (scheduler) => {
        for (const start of [1, 100]) {
          const results: number[] = [];
          scheduler.onStart(() => scheduler.submit(work.increment, start), { maxCalls: 1 });
          scheduler.onFutureResult((_f, r: number) => results.push(r), { maxCalls: 1 });
          const exit = await scheduler.run({ timeout: SLOW });
          expect(exit.code).toBe(ExitCode.EXHAUSTED);
          expect(results).toEqual([start + 1]);
        }
      });
    }, SLOW * 2);
  });
}
