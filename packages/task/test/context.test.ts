import { describe, expect, it } from "vitest";
import { NoTaskContextError, runInTaskContext, taskContext, type TaskContext } from "../src/index.js";

describe("taskContext", () => {
  it("throws NoTaskContextError outside a call", () => {
    expect(() => taskContext()).toThrow(NoTaskContextError);
  });

  it("returns the context inside a call, across awaits", async () => {
    const controller = new AbortController();
    const context: TaskContext = {
      signal: controller.signal,
      attempt: 2,
      remainingTime: () => 1000,
      send() {},
      request: () => Promise.resolve(),
    };
    const seen = await runInTaskContext(context, async () => {
      await new Promise((r) => setTimeout(r, 1));
      const inner = taskContext();
      return [inner.attempt, inner.signal.aborted, inner.remainingTime()];
    });
    expect(seen).toEqual([2, false, 1000]);
    expect(() => taskContext()).toThrow(NoTaskContextError);
  });
});
