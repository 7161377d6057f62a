/**
 * Crash cases: a worker that exits, crashes or runs out of memory fails only its call with a
 * typed error (`WorkerCrashedError`, `WorkerLostError`, `WorkerMemoryLimitError`), the run
 * goes on, a module that only ever crashes its workers is refused, and an error a finished
 * call left behind is a warning, never the next call's failure.
 */

import { describe, expect } from "vitest";
import { ExitCode } from "@amltk/scheduler";
import { WorkerCrashedError, WorkerLostError } from "@amltk/task/worker";
import { exitingModule, work } from "../fixtures.js";
import { SLOW, deferred, settled, within, type Settled, type SuiteContext } from "./harness.js";

/**
 * Registers the crash cases.
 *
 * @example
 * ```ts
 * crashCases(suiteContext("processes", make, caps));
 * ```
 */
export function crashCases(ctx: SuiteContext): void {
  describe("crashes", () => {
    ctx.maybe(ctx.caps.crash, "cannot survive a crash of its own thread")(
      "refuses calls of a module that only ever crashed its workers, instead of a respawn storm",
      async () => {
        await ctx.withScheduler({ maxWorkers: 2 }, async (scheduler) => {
          const errors: unknown[] = [];
          scheduler.onStart(() => {
            for (let i = 0; i < 12; i++) scheduler.submit(exitingModule.never);
          });
          scheduler.onFutureException((_f, error) => errors.push(error));
          const exit = await scheduler.run({ timeout: SLOW, onException: "continue" });
          expect(exit.code).toBe(ExitCode.EXHAUSTED);
          expect(errors).toHaveLength(12);
          expect(errors.every((e) => e instanceof WorkerCrashedError)).toBe(true);
          // Most calls are refused without starting a worker: only a few really crashed one.
          const refused = errors.filter((e) => (e as Error).message.startsWith("Not run:"));
          expect(refused.length).toBeGreaterThanOrEqual(6);
        });
      },
      SLOW,
    );

    const when = ctx.maybe(ctx.caps.crash, "cannot survive a crash of its own thread");

    when("fails a call whose worker exits with WorkerCrashedError; the run goes on", async () => {
      await ctx.withScheduler({}, async (scheduler) => {
        const out: Array<{ ok: boolean; error?: unknown; value?: unknown }> = [];
        scheduler.onStart(async () => {
          out.push(await settled(scheduler.submit(work.exitNow, 3)));
          out.push(await settled(scheduler.submit(work.crashInTimer, "timer boom")));
          out.push(await settled(scheduler.submit(work.increment, 1)));
        });
        await scheduler.run({ timeout: SLOW, onException: "continue" });
        const exited = out[0]!.error as { name: string; exitCode: number | null; code: string };
        expect(exited.name).toBe("WorkerCrashedError");
        expect(exited.code).toBe("ERR_AMLTK_WORKER_CRASHED");
        expect(exited.exitCode).toBe(3);
        // An error thrown by a timer of a running call fails that call, with that error;
        // the worker survives it.
        const timer = out[1]!.error as Error;
        expect(timer.name).toBe("Error");
        expect(timer.message).toBe("timer boom");
        expect(out[2]).toEqual({ ok: true, value: 2 });
      });
    }, SLOW);

    ctx.maybe(ctx.caps.memoryLimit, "has no memory limit")(
      "fails a call that overruns the memory limit with WorkerMemoryLimitError",
      async () => {
        await ctx.withScheduler({ maxWorkers: 1, memoryLimitMb: 64 }, async (scheduler) => {
          const out: Array<{ ok: boolean; error?: unknown; value?: unknown }> = [];
          scheduler.onStart(async () => {
            out.push(await settled(scheduler.submit(work.allocate)));
            out.push(await settled(scheduler.submit(work.increment, 1)));
          });
          await scheduler.run({ timeout: SLOW * 2, onException: "continue" });
          const error = out[0]!.error as { name: string; code: string };
          expect(error.name).toBe("WorkerMemoryLimitError");
          expect(error.code).toBe("ERR_AMLTK_WORKER_MEMORY_LIMIT");
          expect(out[1]).toEqual({ ok: true, value: 2 });
        });
      },
      SLOW * 2,
    );

    when("fails only the call whose worker was lost; the calls queued behind it still run", async () => {
      await ctx.withScheduler({ maxWorkers: 1 }, async (scheduler) => {
        const out: Array<Settled<unknown>> = [];
        scheduler.onStart(async () => {
          const futures = [scheduler.submit(work.exitNow, 5), ...[1, 2, 3, 4].map((x) => scheduler.submit(work.increment, x))];
          for (const future of futures) out.push(await settled(future));
        });
        await scheduler.run({ timeout: SLOW, onException: "continue" });
        const lost = out[0]!.ok ? undefined : out[0]!.error;
        expect(lost instanceof WorkerCrashedError || lost instanceof WorkerLostError).toBe(true);
        expect(out.slice(1)).toEqual([2, 3, 4, 5].map((value) => ({ ok: true, value })));
      });
    }, SLOW);

    when("never blames a late error of one call on the next call; reports it as a warning", async () => {
      const warned = deferred<Error>();
      const onWarning = (warning: Error) => {
        if (warning.name === "AmltkWorkerWarning" && warning.message.includes("late boom")) warned.resolve(warning);
      };
      process.on("warning", onWarning);
      try {
        await ctx.withScheduler({ maxWorkers: 1 }, async (scheduler) => {
          const out: Array<Settled<unknown>> = [];
          scheduler.onStart(async () => {
            // One worker: the first call's timer throws while the second call runs there.
            const first = scheduler.submit(work.throwWhenNextCallRuns, "late boom");
            const second = scheduler.submit(work.releaseLateError, 200);
            out.push(await settled(first), await settled(second));
          });
          await scheduler.run({ timeout: SLOW, onException: "continue" });
          expect(out).toEqual([
            { ok: true, value: "returned" },
            { ok: true, value: "unharmed" },
          ]);
          const warning = await within(warned.promise, SLOW / 3, "a warning about the late error");
          expect(warning.message).toContain("late boom");
        });
      } finally {
        process.off("warning", onWarning);
      }
    }, SLOW);
  });
}
