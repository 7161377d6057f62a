/**
 * Cancellation cases: a queued call is dropped, a running one has its signal aborted with a
 * `CancelledError`, a call that ignores its signal has its worker terminated within the
 * cancel grace (where the backend can), and `run({ wait: false })` returns promptly.
 * Calls say "started" (Comm) instead of the cases sleeping until they probably did.
 */

import { describe, expect, it } from "vitest";
import { CancelledError, ExitCode, type Future } from "@amltk/scheduler";
import { work } from "../fixtures.js";
import { PROMPT_MARGIN_MS, SLOW, deferred, within, type SuiteContext } from "./harness.js";

/**
 * Registers the cancellation cases.
 *
 * @example
 * ```ts
 * cancellationCases(suiteContext("threads", make, caps));
 * ```
 */
export function cancellationCases(ctx: SuiteContext): void {
  describe("cancellation", () => {
    it("removes a cancelled queued call; it never runs", async () => {
      await ctx.withScheduler({ maxWorkers: 1 }, async (scheduler) => {
        let first: Future<string> | undefined;
        let second: Future<string> | undefined;
        let secondRan = false;
        const cancelled: unknown[] = [];
        scheduler.onFutureCancelled((f) => cancelled.push(f));
        const states: string[] = [];
        const task = scheduler.task(work.startedThenSleep);
        scheduler.onStart(() => {
          first = task.submit(300, "first") as Future<string>;
          second = task.submit(10, "second") as Future<string>;
        });
        // The first call says it started: it runs; the second waits in the queue.
        task.onMessage((future) => {
          if (future !== first) return;
          states.push(first.state, second!.state);
          second!.cancel();
        });
        const exit = await scheduler.run({ timeout: SLOW, onCancelled: "continue" });
        expect(exit.code).toBe(ExitCode.EXHAUSTED);
        // One worker: the first call runs, the second waits in the queue.
        expect(states).toEqual(["running", "pending"]);
        expect(first!.state).toBe("done");
        expect(first!.result()).toBe("first");
        expect(second!.state).toBe("cancelled");
        expect(secondRan).toBe(false);
        expect(cancelled).toEqual([second]);
        await expect(Promise.resolve(second!)).rejects.toBeInstanceOf(CancelledError);
      });
    }, SLOW);

    it("aborts the signal of a cancelled running call, and the executor goes on", async () => {
      // A grace period longer than the test: only a delivered cancel frees the one worker.
      await ctx.withScheduler({ maxWorkers: 1, cancelGraceMs: 60_000 }, async (scheduler) => {
        let after: unknown;
        let coop: Future<string> | undefined;
        const task = scheduler.task(work.startedThenCooperative);
        const started = deferred<void>();
        task.onMessage(() => started.resolve());
        scheduler.onStart(async () => {
          coop = task.submit()!;
          await started.promise;
          coop.cancel();
          after = await within(scheduler.submit(work.increment, 1), PROMPT_MARGIN_MS, "the call after a cancelled cooperative one");
        });
        const exit = await scheduler.run({ timeout: SLOW, onCancelled: "continue" });
        expect(exit.code).toBe(ExitCode.EXHAUSTED);
        expect(coop!.state).toBe("cancelled");
        expect(after).toBe(2);
      });
    }, SLOW);

    it("honours a cancel sent at once, while workers boot and modules load, without the grace period", async () => {
      // With a grace period longer than the test's own limit, only a delivered cancel ends this.
      await ctx.withScheduler({ maxWorkers: 1, cancelGraceMs: 60_000 }, async (scheduler) => {
        let coop: Future<string> | undefined;
        scheduler.onStart(() => {
          coop = scheduler.submit(work.cooperative);
          coop.cancel();
        });
        const exit = await scheduler.run({ timeout: SLOW, onCancelled: "continue" });
        expect(exit.code).toBe(ExitCode.EXHAUSTED);
        expect(coop!.state).toBe("cancelled");
      });
    }, SLOW);

    ctx.maybe(ctx.caps.terminate, "cannot terminate a running call")(
      "terminates the worker of a cancelled call that ignores its signal, promptly; only that worker",
      async () => {
        const cancelGraceMs = 200;
        await ctx.withScheduler({ maxWorkers: 2, cancelGraceMs }, async (scheduler) => {
          let spinning: Future<number> | undefined;
          let slow: unknown;
          let after: unknown;
          let elapsed = Number.NaN;
          const spinTask = scheduler.task(work.startedThenSpin);
          const askTask = scheduler.task(work.ask);
          const spinStarted = deferred<void>();
          const asked = deferred<(value: unknown) => void>();
          spinTask.onMessage(() => spinStarted.resolve());
          // The other worker waits on a question answered only once the cancelled call's
          // worker was replaced: that worker is busy throughout, so only termination frees one.
          askTask.onRequest((_f, _data, respond) => asked.resolve(respond));
          scheduler.onStart(async () => {
            spinning = spinTask.submit()!;
            const other = askTask.submit("release?")!;
            const [, respond] = await Promise.all([spinStarted.promise, asked.promise]);
            const cancelledAt = Date.now();
            spinning.cancel();
            after = await within(scheduler.submit(work.increment, 1), cancelGraceMs * 2 + PROMPT_MARGIN_MS, "the call after a terminated one");
            elapsed = Date.now() - cancelledAt;
            respond("unaffected");
            slow = await other;
          });
          const exit = await scheduler.run({ timeout: SLOW, onCancelled: "continue" });
          expect(exit.code).toBe(ExitCode.EXHAUSTED);
          expect(spinning!.state).toBe("cancelled");
          expect(after).toBe(2);
          expect(elapsed).toBeLessThan(cancelGraceMs * 2 + PROMPT_MARGIN_MS);
          expect(slow).toEqual({ ok: true, value: "unaffected" });
        });
      },
      SLOW,
    );

    ctx.maybe(ctx.caps.terminate, "cannot terminate a running call")(
      "run({ wait: false }) returns within the cancel grace with calls spinning, reporting them cancelled",
      async () => {
        const cancelGraceMs = 200;
        await ctx.withScheduler({ maxWorkers: 2, cancelGraceMs }, async (scheduler) => {
          const cancelled: unknown[] = [];
          const order: string[] = [];
          scheduler.onFutureCancelled((f) => {
            cancelled.push(f);
            order.push("future-cancelled");
          });
          scheduler.onFinished(() => order.push("finished"));
          const spin = scheduler.task(work.startedThenSpin);
          let started = 0;
          let stoppedAt = Number.NaN;
          // Stop once both calls spin: the run must then end within the grace period.
          spin.onMessage(() => {
            if (++started < 2) return;
            stoppedAt = Date.now();
            scheduler.stop();
          });
          scheduler.onStart(() => {
            spin.submit();
            spin.submit();
            scheduler.submit(work.sleep, 50, "queued");
          });
          const exit = await scheduler.run({ wait: false, timeout: SLOW, onCancelled: "continue" });
          const elapsed = Date.now() - stoppedAt;
          expect(exit.code).toBe(ExitCode.STOPPED);
          expect(started).toBe(2);
          expect(elapsed).toBeLessThan(cancelGraceMs * 2 + PROMPT_MARGIN_MS);
          expect(cancelled).toHaveLength(3);
          expect(order.at(-1)).toBe("finished");
        });
      },
      SLOW,
    );

    ctx.maybe(ctx.caps.terminate || !ctx.caps.outOfProcess, "can neither terminate a call nor free its slot")(
      "a call cancelled while it runs, from its own message, that ignores its signal does not hold its slot",
      async () => {
        const cancelGraceMs = 200;
        await ctx.withScheduler({ maxWorkers: 1, cancelGraceMs }, async (scheduler) => {
          const task = scheduler.task(work.startedThenHang);
          // Cancelled synchronously, while the function is still inside `send`.
          task.onMessage((future) => future.cancel());
          let hung: Future<never> | undefined;
          let after: unknown;
          scheduler.onStart(async () => {
            hung = task.submit()!;
            after = await within(scheduler.submit(work.increment, 1), cancelGraceMs * 2 + PROMPT_MARGIN_MS, "the call after one cancelled from its own message");
          });
          const exit = await scheduler.run({ timeout: SLOW, onCancelled: "continue" });
          expect(exit.code).toBe(ExitCode.EXHAUSTED);
          expect(hung!.state).toBe("cancelled");
          expect(after).toBe(2);
        });
      },
      SLOW,
    );

    it("a cancelled running call sees a CancelledError as its signal's reason", async () => {
      await ctx.withScheduler({ maxWorkers: 1, cancelGraceMs: 60_000 }, async (scheduler) => {
        const task = scheduler.task(work.recordCancelReason);
        let seen: unknown;
        task.onMessage((future) => future.cancel());
        scheduler.onStart(async () => {
          task.submit("reason");
          // The same worker (one, not recycled) reports what the cancelled call saw.
          seen = await scheduler.submit(work.recorded, "reason");
        });
        await scheduler.run({ timeout: SLOW, onCancelled: "continue" });
        expect(seen).toEqual({ instanceOf: "CancelledError", name: "CancelledError" });
      });
    }, SLOW);

    it("a run timeout with wait: true lets running calls finish before finished", async () => {
      await ctx.withScheduler({}, async (scheduler) => {
        const order: string[] = [];
        scheduler.onStart(() => scheduler.submit(work.sleep, 400, "done"));
        scheduler.onTimeout(() => order.push("timeout"));
        scheduler.onFutureResult((_f, r: string) => order.push(`result:${r}`));
        scheduler.onFinished(() => order.push("finished"));
        const exit = await scheduler.run({ timeout: 100, wait: true });
        expect(exit.code).toBe(ExitCode.TIMEOUT);
        expect(order).toEqual(["timeout", "result:done", "finished"]);
      });
    }, SLOW);
  });
}
