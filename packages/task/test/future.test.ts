import { describe, expect, it, vi } from "vitest";
import { CancelledError, Future, FutureNotDoneError } from "../src/index.js";

function make() {
  const onCancel = vi.fn();
  const future = new Future<number>(1, (x: number) => x, [1], undefined, onCancel);
  return { future, control: Future.control(future), onCancel };
}

describe("Future", () => {
  it("moves pending -> running -> done and exposes the result", async () => {
    const { future, control } = make();
    expect(future.state).toBe("pending");
    expect(() => future.result()).toThrow(FutureNotDoneError);
    expect(() => future.exception()).toThrow(FutureNotDoneError);
    control.markRunning();
    expect(future.state).toBe("running");
    control.resolve(5);
    expect(future.state).toBe("done");
    expect(future.result()).toBe(5);
    expect(future.exception()).toBeUndefined();
    await expect(future).resolves.toBe(5);
  });

  it("rethrows the call's error from result() and await", async () => {
    const { future, control } = make();
    const error = new RangeError("bad");
    control.reject(error);
    expect(future.state).toBe("done");
    expect(() => future.result()).toThrow(error);
    expect(future.exception()).toBe(error);
    await expect(future).rejects.toBe(error);
  });

  it("does not raise an unhandled rejection when a failed future is never awaited", async () => {
    const unhandled = vi.fn();
    process.on("unhandledRejection", unhandled);
    const { control } = make();
    control.reject(new Error("nobody listens"));
    await new Promise((r) => setTimeout(r, 10));
    process.off("unhandledRejection", unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it("cancel() asks once, and a cancelled future throws CancelledError", async () => {
    const { future, control, onCancel } = make();
    expect(future.cancel()).toBe(true);
    expect(future.cancel()).toBe(true);
    expect(onCancel).toHaveBeenCalledOnce();
    control.markCancelled(new CancelledError());
    expect(future.state).toBe("cancelled");
    expect(future.cancel()).toBe(false);
    expect(() => future.result()).toThrow(CancelledError);
    expect(() => future.exception()).toThrow(CancelledError);
    await expect(future).rejects.toBeInstanceOf(CancelledError);
  });

  it("settles once: later outcomes are ignored", () => {
    const { future, control } = make();
    control.resolve(1);
    control.reject(new Error("late"));
    control.markCancelled(new CancelledError());
    expect(future.result()).toBe(1);
    expect(future.cancel()).toBe(false);
  });

  it("is PromiseLike but not a Promise", () => {
    const { future } = make();
    expect(future).not.toBeInstanceOf(Promise);
    expect(typeof future.then).toBe("function");
  });
});
