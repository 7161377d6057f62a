/**
 * `@amltk/scheduler` re-exports the worker errors and `registerError` of `@amltk/task/worker`:
 * they must be the very same classes and function, or `instanceof` and `onException` Maps
 * written against one import would miss errors built by the other.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import * as worker from "@amltk/task/worker";
import * as scheduler from "../src/index.js";

const NAMES = [
  "FunctionRefRequiredError",
  "ProtocolError",
  "ProtocolVersionError",
  "UnsendableValueError",
  "WorkerCrashedError",
  "WorkerLostError",
  "WorkerMemoryLimitError",
  "registerError",
] as const;

describe("re-exports from @amltk/task/worker", () => {
  it.each(NAMES)("%s is the same value as in @amltk/task/worker", (name) => {
    expect(scheduler[name]).toBeDefined();
    expect(scheduler[name]).toBe(worker[name]);
  });

  it("an error built by one import is an instance of the other's class", () => {
    const error = new worker.WorkerLostError("worker 1 stopped answering");
    expect(error).toBeInstanceOf(scheduler.WorkerLostError);
    expect(scheduler.actionFor(new Map([[scheduler.WorkerLostError, "continue"]]), error)).toBe("continue");
  });

  it("has the same types", () => {
    expectTypeOf(scheduler.WorkerCrashedError).toEqualTypeOf(worker.WorkerCrashedError);
    expectTypeOf(scheduler.registerError).toEqualTypeOf(worker.registerError);
    expectTypeOf<scheduler.WorkerExit>().toEqualTypeOf<worker.WorkerExit>();
  });
});
