/**
 * `testExecutor`: the conformance suite. The same vitest cases run against every executor,
 * through the real `Scheduler`, so a backend is done when it passes them. Cases a backend
 * cannot pass by nature are skipped by capability, with the reason in the test name.
 */

import { describe, expect, it } from "vitest";
import {
  CancelledError,
  ExecutorNotStartedError,
  ExitCode,
  FunctionNotFoundError,
  Scheduler,
  type Executor,
  type Future,
  type SubmitOptions,
} from "@amltk/scheduler";
import { WorkerCrashedError, registerError } from "@amltk/task/worker";
import type { ExecutorCapabilities, ExecutorProfile, MakeExecutor } from "./capabilities.js";
import { badModule, exitingModule, importErrorsModule, importWorkModule, work } from "./fixtures.js";

/** Generous bound for anything that waits on a worker; the machine may be busy. */
const SLOW = 15_000;

function submitOptions(onRunning: (worker?: string) => void = () => {}): SubmitOptions & { cancel(reason: unknown): void } {
  let requested = false;
  let reason: unknown;
  const callbacks: Array<(reason: unknown) => void> = [];
  let controller: AbortController | undefined;
  return {
    get signal() {
      controller ??= new AbortController();
      if (requested) controller.abort(reason);
      return controller.signal;
    },
    get cancelRequested() {
      return requested;
    },
    onCancel(callback) {
      if (requested) callback(reason);
      else callbacks.push(callback);
    },
    onRunning,
    onMessage() {},
    onRequest: () => Promise.reject(new Error("no responder in this test")),
    cancel(why) {
      if (requested) return;
      requested = true;
      reason = why;
      controller?.abort(why);
      for (const callback of callbacks) callback(why);
    },
  };
}

function settled<T>(future: Future<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return Promise.resolve(future).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function eventually(check: () => boolean, ms = SLOW): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Runs the conformance suite against executors made by `make`.
 *
 * @example
 * ```ts
 * import { testExecutor } from "@amltk/testkit";
 * import { threads } from "@amltk/executor-threads";
 * testExecutor("threads", (p) => threads({ maxWorkers: p.maxWorkers }), { outOfProcess: true, terminate: true });
 * ```
 */
export function testExecutor(name: string, make: MakeExecutor, capabilities: ExecutorCapabilities = {}): void {
  const caps = capabilities;
  const maybe = (flag: boolean | undefined, why: string) => (title: string, fn: () => Promise<void>, timeout?: number) =>
    (flag ? it : it.skip)(flag ? title : `${title} [skipped: ${name} ${why}]`, fn, timeout);

  /** Runs a scheduler on a fresh executor and checks that nothing is left behind. */
  async function withScheduler(
    profile: Partial<ExecutorProfile>,
    body: (scheduler: Scheduler, executor: Executor) => void | Promise<void>,
  ): Promise<void> {
    const executor = make({ maxWorkers: 2, ...profile });
    const scheduler = new Scheduler({ executor });
    // The worker processes seen while the run goes on: after it, each must be gone.
    const seen = new Set<number>();
    const sample = () => {
      for (const pid of caps.inspect?.(executor).pids ?? []) seen.add(pid);
    };
    for (const event of ["future-submitted", "future-done", "future-cancelled", "finishing"] as const) {
      scheduler.on(event, sample, { hidden: true, name: "testkit-sample-pids" });
    }
    try {
      await body(scheduler, executor);
    } finally {
      await expectNoLeftovers(executor, seen);
    }
  }

  async function expectNoLeftovers(executor: Executor, seen: ReadonlySet<number>): Promise<void> {
    if (caps.inspect === undefined) return;
    const { live, pids = [] } = caps.inspect(executor);
    expect(live).toBe(0);
    for (const pid of new Set([...seen, ...pids])) await eventually(() => !pidAlive(pid));
  }

  describe(`executor conformance: ${name}`, () => {
    describe("lifecycle", () => {
      it("refuses calls before start and after shutdown, and can start again", async () => {
        const executor = make({ maxWorkers: 2 });
        const call = { id: 1, fn: work.increment, args: [1], attempt: 1 };
        await expect(executor.submit(call, submitOptions())).rejects.toBeInstanceOf(ExecutorNotStartedError);
        await executor.start();
        let running = 0;
        expect(await executor.submit(call, submitOptions(() => running++))).toBe(2);
        expect(running).toBe(1);
        const pids = new Set(caps.inspect?.(executor).pids ?? []);
        await executor.shutdown({ wait: true });
        await expect(executor.submit({ ...call, id: 2 }, submitOptions())).rejects.toBeInstanceOf(ExecutorNotStartedError);
        await executor.start();
        expect(await executor.submit({ ...call, id: 3, args: [41] }, submitOptions())).toBe(42);
        for (const pid of caps.inspect?.(executor).pids ?? []) pids.add(pid);
        // A start during a shutdown in progress waits for it, and leaves a usable executor.
        const stopping = executor.shutdown({ wait: true });
        await executor.start();
        await stopping;
        expect(await executor.submit({ ...call, id: 4, args: [1] }, submitOptions())).toBe(2);
        for (const pid of caps.inspect?.(executor).pids ?? []) pids.add(pid);
        await executor.shutdown({ wait: true });
        await expectNoLeftovers(executor, pids);
        expect(typeof executor.kind).toBe("string");
        expect(typeof executor.describe()).toBe("object");
      }, SLOW);

      it("a scheduler runs twice on the same executor", async () => {
        await withScheduler({}, async (scheduler) => {
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

    describe("results", () => {
      it("chains calls from result callbacks, 2 in flight", async () => {
        await withScheduler({}, async (scheduler) => {
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
        await withScheduler({}, async (scheduler) => {
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

      it("gives the function its taskContext", async () => {
        await withScheduler({}, async (scheduler) => {
          let ctx: unknown;
          scheduler.onStart(async () => {
            ctx = await scheduler.submit(work.context);
          });
          await scheduler.run({ timeout: SLOW });
          expect(ctx).toEqual({ attempt: 1, aborted: false, remaining: Number.POSITIVE_INFINITY });
        });
      }, SLOW);

      it("emits the events of a call in the documented order", async () => {
        await withScheduler({}, async (scheduler) => {
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

    describe("errors", () => {
      it("keeps built-in error classes, message, stack, code and own fields", async () => {
        await withScheduler({}, async (scheduler) => {
          const errors: unknown[] = [];
          scheduler.onStart(async () => {
            for (const kind of ["TypeError", "RangeError", "Error"]) {
              await settled(scheduler.submit(work.throwBuiltin, kind, `bad ${kind}`));
            }
          });
          scheduler.onFutureException((_f, error) => errors.push(error));
          await scheduler.run({ timeout: SLOW, onException: "continue" });
          const thrown = errors as Array<Error & { code?: string; extra?: number }>;
          expect(thrown).toHaveLength(3);
          expect(thrown[0]).toBeInstanceOf(TypeError);
          expect(thrown[1]).toBeInstanceOf(RangeError);
          expect(thrown[2]).toBeInstanceOf(Error);
          expect(thrown[0]!.message).toBe("bad TypeError");
          expect(thrown[0]!.name).toBe("TypeError");
          expect(thrown[0]!.code).toBe("E_BUILTIN");
          expect(thrown[0]!.extra).toBe(42);
          expect(thrown[0]!.stack).toMatch(/work\.mjs/);
        });
      }, SLOW);

      it("rebuilds a class exported by the function's module, with its cause", async () => {
        const { WorkError } = await importWorkModule();
        await withScheduler({}, async (scheduler) => {
          let error: unknown;
          scheduler.onStart(async () => {
            error = ((await settled(scheduler.submit(work.throwWork, "work failed"))) as { error: unknown }).error;
          });
          await scheduler.run({ timeout: SLOW, onException: "continue" });
          expect(error).toBeInstanceOf(WorkError);
          const e = error as Error & { code: string; detail: unknown; cause: unknown };
          expect(e.message).toBe("work failed");
          expect(e.name).toBe("WorkError");
          expect(e.code).toBe("E_WORK");
          expect(e.detail).toEqual({ step: 3, tags: ["a", "b"] });
          expect(e.cause).toBeInstanceOf(RangeError);
          expect((e.cause as Error).message).toBe("root cause");
          expect(e.stack).toMatch(/throwWork/);
        });
      }, SLOW);

      it("rebuilds a registered class, async rejections, and amltk errors", async () => {
        const { RegisteredError } = await importErrorsModule();
        registerError(RegisteredError);
        await withScheduler({}, async (scheduler) => {
          const out: unknown[] = [];
          scheduler.onStart(async () => {
            for (const future of [
              scheduler.submit(work.throwRegistered, "registered"),
              scheduler.submit(work.rejectAsync, "async"),
              scheduler.submit((work as unknown as Record<string, typeof work.increment>).noSuchExport!, 1),
            ]) {
              out.push(((await settled(future)) as { error: unknown }).error);
            }
          });
          await scheduler.run({ timeout: SLOW, onException: "continue" });
          expect(out[0]).toBeInstanceOf(RegisteredError);
          expect((out[0] as { detail: string }).detail).toBe("registered detail");
          expect(out[1]).toBeInstanceOf(TypeError);
          expect((out[1] as Error).message).toBe("async");
          expect(out[2]).toBeInstanceOf(FunctionNotFoundError);
          expect((out[2] as FunctionNotFoundError).exportName).toBe("noSuchExport");
          expect((out[2] as FunctionNotFoundError).code).toBe("ERR_AMLTK_FUNCTION_NOT_FOUND");
        });
      }, SLOW);

      it("fails the calls of a module that throws at import, and goes on", async () => {
        await withScheduler({}, async (scheduler) => {
          const out: Array<{ ok: boolean; error?: unknown; value?: unknown }> = [];
          scheduler.onStart(async () => {
            out.push(await settled(scheduler.submit(badModule.never)));
            out.push(await settled(scheduler.submit(badModule.never)));
            out.push(await settled(scheduler.submit(work.increment, 1)));
          });
          await scheduler.run({ timeout: SLOW, onException: "continue" });
          expect(out[0]!.ok).toBe(false);
          expect((out[0]!.error as Error).message).toMatch(/bad-module\.mjs fails at import/);
          expect((out[1]!.error as Error).message).toMatch(/bad-module\.mjs fails at import/);
          expect(out[2]).toEqual({ ok: true, value: 2 });
        });
      }, SLOW);
    });

    describe("values that cannot be sent", () => {
      const when = maybe(caps.outOfProcess, "runs calls in-process");

      when("refuses a plain function at submit, saying to use fromModule", async () => {
        await withScheduler({}, async (scheduler) => {
          let thrown: unknown;
          scheduler.onStart(() => {
            try {
              scheduler.submit((x: number) => x + 1, 1);
            } catch (error) {
              thrown = error;
            }
          });
          await scheduler.run({ timeout: SLOW });
          expect((thrown as Error).message).toMatch(/fromModule/);
          expect((thrown as { code: string }).code).toBe("ERR_AMLTK_FUNCTION_REF_REQUIRED");
        });
      }, SLOW);

      when("fails one call whose argument or result cannot be sent, naming the path", async () => {
        await withScheduler({}, async (scheduler) => {
          const out: Array<{ ok: boolean; error?: unknown; value?: unknown }> = [];
          scheduler.onStart(async () => {
            out.push(await settled(scheduler.submit(work.echo, { nested: [1, { cb: () => 1 }] })));
            out.push(await settled(scheduler.submit(work.echo, Symbol("s"))));
            out.push(await settled(scheduler.submit(work.returnFunction)));
            out.push(await settled(scheduler.submit(work.increment, 1)));
          });
          await scheduler.run({ timeout: SLOW, onException: "continue" });
          for (const [i, path] of [[0, "args[0].nested[1].cb"], [1, "args[0]"], [2, "result.callback"]] as const) {
            const error = out[i]!.error as { name: string; path: string; message: string };
            expect(error.name).toBe("UnsendableValueError");
            expect(error.path).toBe(path);
            expect(error.message).toContain(path);
          }
          expect(out[3]).toEqual({ ok: true, value: 2 });
        });
      }, SLOW);
    });

    describe("cancellation", () => {
      it("removes a cancelled queued call; it never runs", async () => {
        await withScheduler({ maxWorkers: 1 }, async (scheduler) => {
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
        await withScheduler({ maxWorkers: 1 }, async (scheduler) => {
          let after: unknown;
          let coop: Future<string> | undefined;
          scheduler.onStart(async () => {
            coop = scheduler.submit(work.cooperative);
            await new Promise((resolve) => setTimeout(resolve, 100));
            coop.cancel();
            after = await scheduler.submit(work.increment, 1);
          });
          const exit = await scheduler.run({ timeout: SLOW, onCancelled: "continue" });
          expect(exit.code).toBe(ExitCode.EXHAUSTED);
          expect(coop!.state).toBe("cancelled");
          expect(after).toBe(2);
        });
      }, SLOW);

      it("honours a cancel sent at once, while workers boot and modules load, without the grace period", async () => {
        // With a grace period longer than the test's own limit, only a delivered cancel ends this.
        await withScheduler({ maxWorkers: 1, cancelGraceMs: 60_000 }, async (scheduler) => {
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

      maybe(caps.terminate, "cannot terminate a running call")(
        "terminates the worker of a cancelled call that ignores its signal; only that worker",
        async () => {
          await withScheduler({ maxWorkers: 2, cancelGraceMs: 200 }, async (scheduler) => {
            let spinning: Future<number> | undefined;
            let slow: unknown;
            let after: unknown;
            scheduler.onStart(async () => {
              spinning = scheduler.submit(work.spin);
              const other = scheduler.submit(work.sleep, 600, "unaffected");
              await new Promise((resolve) => setTimeout(resolve, 100));
              spinning.cancel();
              after = await scheduler.submit(work.increment, 1);
              slow = await other;
            });
            const exit = await scheduler.run({ timeout: SLOW, onCancelled: "continue" });
            expect(exit.code).toBe(ExitCode.EXHAUSTED);
            expect(spinning!.state).toBe("cancelled");
            expect(after).toBe(2);
            expect(slow).toBe("unaffected");
          });
        },
        SLOW,
      );

      maybe(caps.terminate, "cannot terminate a running call")(
        "run({ wait: false }) returns promptly with a call spinning, reporting it cancelled",
        async () => {
          await withScheduler({ maxWorkers: 2, cancelGraceMs: 200 }, async (scheduler) => {
            const cancelled: unknown[] = [];
            const order: string[] = [];
            scheduler.onFutureCancelled((f) => {
              cancelled.push(f);
              order.push("future-cancelled");
            });
            scheduler.onFinished(() => order.push("finished"));
            scheduler.onStart(() => {
              scheduler.submit(work.spin);
              scheduler.submit(work.spin);
              scheduler.submit(work.sleep, 50, "queued");
              scheduler.callLater(200, () => scheduler.stop());
            });
            const started = Date.now();
            const exit = await scheduler.run({ wait: false, onCancelled: "continue" });
            expect(Date.now() - started).toBeLessThan(SLOW);
            expect(exit.code).toBe(ExitCode.STOPPED);
            expect(cancelled).toHaveLength(3);
            expect(order.at(-1)).toBe("finished");
          });
        },
        SLOW,
      );

      it("a run timeout with wait: true lets running calls finish before finished", async () => {
        await withScheduler({}, async (scheduler) => {
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

    describe("crashes", () => {
      maybe(caps.crash, "cannot survive a crash of its own thread")(
        "refuses calls of a module that only ever crashed its workers, instead of a respawn storm",
        async () => {
          await withScheduler({ maxWorkers: 2 }, async (scheduler) => {
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

      const when = maybe(caps.crash, "cannot survive a crash of its own thread");

      when("fails a call whose worker exits with WorkerCrashedError; the run goes on", async () => {
        await withScheduler({}, async (scheduler) => {
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

      maybe(caps.memoryLimit, "has no memory limit")(
        "fails a call that overruns the memory limit with WorkerMemoryLimitError",
        async () => {
          await withScheduler({ maxWorkers: 1, memoryLimitMb: 64 }, async (scheduler) => {
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
    });

    describe("recycling", () => {
      maybe(caps.recycle, "does not recycle workers")(
        "replaces a worker after maxTasksPerWorker calls",
        async () => {
          await withScheduler({ maxWorkers: 1, maxTasksPerWorker: 2 }, async (scheduler) => {
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
  });
}
