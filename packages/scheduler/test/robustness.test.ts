import { afterEach, describe, expect, it, vi } from "vitest";
import {
  CancelledError,
  ExitCode,
  InvalidArgumentError,
  MAX_DELAY_MS,
  Scheduler,
  SchedulerNotRunningError,
  SequentialExecutor,
  taskContext,
  type Call,
  type Executor,
  type SubmitOptions,
} from "../src/index.js";
import { identity, record, sleep } from "./helpers.js";

/** A SequentialExecutor whose lifecycle methods can be made to misbehave. */
class FaultyExecutor extends SequentialExecutor implements Executor {
  startBehaviour: "ok" | "hang" | "reject" = "ok";
  shutdownBehaviour: "ok" | "throw" = "ok";
  shutdowns = 0;
  override async start(): Promise<void> {
    if (this.startBehaviour === "hang") return new Promise(() => {});
    if (this.startBehaviour === "reject") throw new Error("start failed");
    return super.start();
  }
  override shutdown(options: { wait: boolean }): Promise<void> {
    this.shutdowns++;
    if (this.shutdownBehaviour === "throw") throw new Error("shutdown exploded");
    return super.shutdown(options);
  }
}

/** Waits for its signal; never returns otherwise. */
async function untilAborted(): Promise<string> {
  const { signal } = taskContext();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve("aborted")));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("wait: false drops queued calls", () => {
  it("never starts a queued call after the running one is cancelled", async () => {
    const scheduler = new Scheduler();
    let queuedRan = false;
    const trace = record(scheduler);
    scheduler.onStart(() => {
      scheduler.submit(untilAborted);
      scheduler.submit(() => {
        queuedRan = true;
      });
      setTimeout(() => scheduler.stop(), 5);
    });
    expect(await scheduler.run({ wait: false })).toEqual({ code: ExitCode.STOPPED });
    expect(queuedRan).toBe(false);
    expect(trace.filter((t) => t.startsWith("S:future-cancelled"))).toHaveLength(2);
    expect(trace).not.toContain("S:future-result");
  });

  it("keeps cancelling the other calls when an executor's cancel hook throws, and reports it", async () => {
    class ThrowingCancel extends SequentialExecutor {
      override submit<R>(call: Call<R>, options: SubmitOptions): Promise<R> {
        if (call.id === 1) options.onCancel(() => { throw new Error("terminate failed"); });
        return super.submit(call, options);
      }
    }
    const scheduler = new Scheduler({ executor: new ThrowingCancel() });
    scheduler.onStart(() => {
      scheduler.submit(untilAborted);
      scheduler.submit(untilAborted);
      setTimeout(() => scheduler.stop(), 5);
    });
    const state = await scheduler.run({ wait: false, onException: "end" });
    expect(state.code).toBe(ExitCode.STOPPED);
    expect(scheduler.onFutureCancelled.count).toBe(2);
    expect(scheduler.empty()).toBe(true);
  });
});

describe("runs that must stay stoppable", () => {
  it("returns with wait: false even when an async callback never settles", async () => {
    const scheduler = new Scheduler();
    scheduler.onStart(() => new Promise(() => {}));
    expect(await scheduler.run({ timeout: 20, wait: false })).toEqual({ code: ExitCode.TIMEOUT });
  });

  it("stops on its signal while the executor is still starting, and shuts it down", async () => {
    const executor = new FaultyExecutor();
    executor.startBehaviour = "hang";
    const scheduler = new Scheduler({ executor });
    const trace = record(scheduler);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    expect(await scheduler.run({ signal: controller.signal })).toEqual({ code: ExitCode.STOPPED });
    expect(trace).toEqual(["S:stop", "S:finishing", "S:finished"]);
    expect(executor.shutdowns).toBe(1);
  });

  it("is not running while the executor starts: submissions are refused", async () => {
    const executor = new FaultyExecutor();
    executor.startBehaviour = "hang";
    const scheduler = new Scheduler({ executor });
    const run = scheduler.run();
    await sleep(5);
    expect(scheduler.phase).toBe("starting");
    expect(scheduler.running()).toBe(false);
    expect(() => scheduler.submit(identity, 1)).toThrow(SchedulerNotRunningError);
    expect(() => scheduler.submit(identity, 1)).toThrow(/still starting/);
    scheduler.stop();
    expect(await run).toEqual({ code: ExitCode.STOPPED });
  });

  it("rejects with the start error and shuts the executor down when start fails", async () => {
    const executor = new FaultyExecutor();
    executor.startBehaviour = "reject";
    const scheduler = new Scheduler({ executor });
    await expect(scheduler.run()).rejects.toThrow("start failed");
    expect(executor.shutdowns).toBe(1);
    expect(scheduler.phase).toBe("idle");
    expect(scheduler.onStart.count).toBe(0);
  });

  it("routes a shutdown that throws synchronously through the policy and still emits finished", async () => {
    const executor = new FaultyExecutor();
    executor.shutdownBehaviour = "throw";
    const scheduler = new Scheduler({ executor });
    scheduler.onStart(() => scheduler.submit(identity, 1));
    await expect(scheduler.run()).rejects.toThrow("shutdown exploded");
    expect(scheduler.onFinished.count).toBe(1);
    executor.shutdownBehaviour = "ok";
    expect(await scheduler.run()).toEqual({ code: ExitCode.EXHAUSTED });
    expect(scheduler.onFutureResult.count).toBe(2);
  });
});

describe("cancellations seen by async callbacks", () => {
  it("awaiting a future cancelled by wait: false does not turn into a callback error", async () => {
    const scheduler = new Scheduler();
    scheduler.onStart(async () => {
      await scheduler.submit(untilAborted);
    });
    expect(await scheduler.run({ timeout: 10, wait: false })).toEqual({ code: ExitCode.TIMEOUT });
  });

  it("follows onCancelled, not onException, for a cancellation rethrown by an async callback", async () => {
    const scheduler = new Scheduler();
    scheduler.onStart(async () => {
      const future = scheduler.submit(untilAborted);
      setTimeout(() => future.cancel(), 5);
      await future;
    });
    expect(await scheduler.run({ onCancelled: "continue" })).toEqual({ code: ExitCode.EXHAUSTED });
    await expect(scheduler.run({ onCancelled: "raise", onException: "continue" })).rejects.toBeInstanceOf(
      CancelledError,
    );
  });
});

describe("stop() arguments", () => {
  it("takes a reason string", async () => {
    const scheduler = new Scheduler();
    const reasons: string[] = [];
    scheduler.onStop((reason) => reasons.push(reason));
    scheduler.onStart(() => scheduler.stop("budget spent"));
    await scheduler.run();
    expect(reasons).toEqual(["budget spent"]);
  });

  it("rejects options with unknown keys instead of dropping the error", async () => {
    const scheduler = new Scheduler();
    scheduler.onStart(() => scheduler.stop({ exception: new Error("x") } as never));
    await expect(scheduler.run()).rejects.toThrow("options.exception must be one of the known options (reason, error)");
  });
});

describe("errors the policy cannot act on are not silent", () => {
  function collectWarnings() {
    const warnings: string[] = [];
    const listener = (warning: Error) => warnings.push(warning.message);
    process.on("warning", listener);
    return { warnings, stop: () => process.off("warning", listener) };
  }

  it("warns for a callback error handled with continue, and for an end after the end was decided", async () => {
    const collected = collectWarnings();
    const scheduler = new Scheduler();
    scheduler.onStart(() => {
      throw new Error("continued callback error");
    });
    await scheduler.run({ onException: "continue" });
    const late = new Scheduler();
    late.onFinishing(() => {
      throw new Error("too late to end");
    });
    expect(await late.run({ onException: "end" })).toEqual({ code: ExitCode.EXHAUSTED });
    await sleep(5);
    collected.stop();
    expect(collected.warnings.some((w) => w.includes("continued callback error"))).toBe(true);
    expect(collected.warnings.some((w) => w.includes("too late to end") && w.includes("already ending"))).toBe(true);
  });

  it("warns for stop({ error }) called too late to change the exit, from finished or stop callbacks", async () => {
    const collected = collectWarnings();
    const scheduler = new Scheduler();
    const finished = scheduler.onFinished(() => scheduler.stop({ error: new Error("stopped from finished") }));
    expect(await scheduler.run({ onException: "end" })).toEqual({ code: ExitCode.EXHAUSTED });
    expect(await scheduler.run({ onException: "continue" })).toEqual({ code: ExitCode.EXHAUSTED });
    finished();
    scheduler.onStart(() => scheduler.stop("first"));
    scheduler.onStop(() => scheduler.stop({ error: new Error("stopped from stop") }));
    expect(await scheduler.run({ onException: "end" })).toEqual({ code: ExitCode.STOPPED });
    // Process warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    collected.stop();
    const late = collected.warnings.filter((w) => w.includes("too late to change its exit"));
    expect(late.filter((w) => w.includes("stopped from finished") && w.includes("(exhausted)"))).toHaveLength(2);
    expect(late.filter((w) => w.includes("stopped from stop") && w.includes("(stopped)"))).toHaveLength(1);
  });

  it("rejects run() with a late stop({ error }) under raise, as any error raised while the run ends", async () => {
    const error = new Error("stopped from finished");
    const scheduler = new Scheduler();
    scheduler.onFinished(() => scheduler.stop({ error }));
    await expect(scheduler.run()).rejects.toBe(error);
  });

  it("warns for stop({ error }) outside a run", async () => {
    const collected = collectWarnings();
    new Scheduler().stop({ error: new Error("nobody runs") });
    await new Promise((resolve) => setImmediate(resolve));
    collected.stop();
    expect(collected.warnings.some((w) => w.includes("outside a run") && w.includes("nobody runs"))).toBe(true);
  });

  it("does not warn for a call's error handled with continue: future-exception reported it", async () => {
    const collected = collectWarnings();
    const scheduler = new Scheduler();
    scheduler.onStart(() =>
      scheduler.submit(() => {
        throw new Error("reported by its event");
      }),
    );
    await scheduler.run({ onException: "continue" });
    await sleep(5);
    collected.stop();
    expect(collected.warnings.filter((w) => w.includes("reported by its event"))).toEqual([]);
  });
});

describe("more validation", () => {
  it("rejects delays Node's timers cannot hold", async () => {
    const scheduler = new Scheduler();
    await expect(scheduler.run({ timeout: MAX_DELAY_MS + 1 })).rejects.toThrow(InvalidArgumentError);
    const errors: unknown[] = [];
    scheduler.onStart(() => {
      try {
        scheduler.callLater(MAX_DELAY_MS + 1, () => {});
      } catch (error) {
        errors.push(error);
      }
    });
    await scheduler.run();
    expect(errors[0]).toBeInstanceOf(InvalidArgumentError);
    expect((errors[0] as Error).message).toContain("24.8 days");
  });

  it("rejects an executor passed without { executor }, misspelt options, and bad task options", () => {
    const executor = new SequentialExecutor();
    expect(() => new Scheduler(executor as never)).toThrow("new Scheduler({ executor })");
    expect(() => new Scheduler({ exector: executor } as never)).toThrow("options.exector");
    expect(() => new SequentialExecutor(4 as never)).toThrow(InvalidArgumentError);
    const scheduler = new Scheduler();
    expect(() => scheduler.task(identity, { plugin: [] } as never)).toThrow("options.plugin");
    expect(() => scheduler.task(identity, "name" as never)).toThrow(InvalidArgumentError);
  });
});
