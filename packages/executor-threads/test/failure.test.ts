/**
 * `taskFailure` unit cases: what a piscina rejection becomes. Every error names what
 * happened; a death by a thrown non-Error says what was thrown instead of "[object Object]".
 */
import { describe, expect, it } from "vitest";
import { UnsendableValueError, WorkerCrashedError, WorkerMemoryLimitError } from "@amltk/task/worker";
import { locateCloneFailure, taskFailure } from "../src/failure.js";

describe("taskFailure", () => {
  it("names a thrown non-Error by its content", () => {
    const failure = taskFailure({ reason: "gave up" }, [1]);
    expect(failure).toBeInstanceOf(WorkerCrashedError);
    expect(failure.message).toContain('died of an uncaught error: a value that is not an Error ({"reason":"gave up"})');
    expect(failure.message).not.toContain("[object Object]");
  });

  it("is an UnsendableValueError, not a crash, when the arguments do not clone here", () => {
    const failure = taskFailure(new Error("getter boom"), [{ map: new Map([["k", () => 1]]) }]);
    expect(failure).toBeInstanceOf(UnsendableValueError);
    expect(failure).not.toBeInstanceOf(WorkerCrashedError);
    expect((failure as UnsendableValueError).path).toBe('args[0].map.get("k")');
  });

  it("keeps memory-limit and exit failures as they were", () => {
    const oom = Object.assign(new Error("Worker terminated due to reaching memory limit"), { code: "ERR_WORKER_OUT_OF_MEMORY" });
    expect(taskFailure(oom, [])).toBeInstanceOf(WorkerMemoryLimitError);
    expect(taskFailure(new Error("worker exited with code: 3"), [])).toMatchObject({ name: "WorkerCrashedError", exitCode: 3 });
  });

  it("locates nothing for a value that clones", () => {
    expect(locateCloneFailure([1, { a: [2] }, new Map([[1, 2]])], "args")).toBeUndefined();
  });
});
