import { describe, expect, it } from "vitest";
import { InvalidArgumentError, Scheduler, SchedulerNotRunningError, Task } from "../src/index.js";
import { identity } from "./helpers.js";

describe("bad input fails loudly with a named error", () => {
  it.each([
    [{ timeout: -1 }, "options.timeout"],
    [{ timeout: Number.NaN }, "options.timeout"],
    [{ timeout: Number.POSITIVE_INFINITY }, "options.timeout"],
    [{ timeout: "10" }, "options.timeout"],
    [{ onException: "ignore" }, 'options.onException must be "raise", "end" or "continue"'],
    [{ onException: new Map([["not a class", "end"]]) }, "options.onException key must be an Error class"],
    [{ onException: new Map([[Object, "end"]]) }, "options.onException key must be an Error class"],
    [{ onException: new Map([[TypeError, "ignore"]]) }, "options.onException.get(TypeError)"],
    [{ onCancelled: "stop" }, "options.onCancelled"],
    [{ endOnEmpty: 1 }, "options.endOnEmpty must be a boolean"],
    [{ display: "auto" }, "options.display must be a boolean"],
    [{ signal: {} }, "options.signal must be an AbortSignal"],
    [{ timout: 10 }, "options.timout must be one of the known options"],
  ])("run(%o) rejects with InvalidArgumentError naming %s", async (options, message) => {
    const scheduler = new Scheduler();
    const error = await scheduler.run(options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toContain(message);
    expect(scheduler.phase).toBe("idle");
    expect(scheduler.onStart.count).toBe(0);
  });

  it("task() rejects a non-function", () => {
    const scheduler = new Scheduler();
    expect(() => scheduler.task(42 as never)).toThrow(InvalidArgumentError);
    expect(() => scheduler.task("fn" as never)).toThrow("fn must be a function or a FunctionRef");
  });

  it("new Task() needs a scheduler, and validates plugins", () => {
    expect(() => new Task(identity, {} as never)).toThrow("scheduler must be a Scheduler");
    const scheduler = new Scheduler();
    expect(() => scheduler.task(identity, { plugins: [{}] as never })).toThrow("options.plugins[0] must be a Plugin");
  });

  it("submit() rejects a non-function while running", async () => {
    const scheduler = new Scheduler();
    scheduler.onStart(() => scheduler.submit(null as unknown as () => void));
    await expect(scheduler.run()).rejects.toThrow(InvalidArgumentError);
  });

  it("callLater rejects bad delays and functions, and refuses outside a run", async () => {
    const scheduler = new Scheduler();
    expect(() => scheduler.callLater(10, () => {})).toThrow(SchedulerNotRunningError);
    const errors: unknown[] = [];
    scheduler.onStart(() => {
      for (const [ms, fn] of [[-1, () => {}], [Number.NaN, () => {}], [10, "fn"]] as const) {
        try {
          scheduler.callLater(ms, fn as never);
        } catch (error) {
          errors.push(error);
        }
      }
    });
    await scheduler.run();
    expect(errors).toHaveLength(3);
    expect(errors.every((e) => e instanceof InvalidArgumentError)).toBe(true);
  });

  it("the constructor rejects something that is not an executor", () => {
    expect(() => new Scheduler({ executor: {} as never })).toThrow("options.executor must be an Executor");
  });

  it("stop() with a non-string reason throws", async () => {
    const scheduler = new Scheduler();
    scheduler.onStart(() => scheduler.stop({ reason: 5 as never }));
    await expect(scheduler.run()).rejects.toThrow("options.reason must be a string");
  });
});
