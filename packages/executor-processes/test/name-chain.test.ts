/**
 * The name-chain rule of `onException` Maps (DESIGN §4.4) on processes: the worker throws a
 * FooError (extends BarError extends Error) whose classes its module imports but does not
 * export, so it arrives rebuilt as a plain Error; a Map keyed by the caller's own BarError
 * still matches by the recorded class names, as it does in-process.
 */
import { describe, expect, it } from "vitest";
import { ExitCode, Scheduler, fromModule } from "@amltk/scheduler";
import { processes } from "@amltk/executor-processes";
import { errorClassNames } from "@amltk/task/worker";

class BarError extends Error {}
class OtherError extends Error {}
const chain = fromModule<{ throwFoo(): never }>(new URL("./fixtures/chain-work.mjs", import.meta.url));

async function runWith(policy: Map<abstract new (...args: any[]) => Error, "continue">) {
  const scheduler = new Scheduler({ executor: processes({ maxWorkers: 1 }) });
  const errors: unknown[] = [];
  scheduler.onStart(() => scheduler.submit(chain.throwFoo));
  scheduler.onFutureException((_future, error) => errors.push(error));
  const state = await scheduler.run({ onException: policy });
  return { state, errors };
}

describe("onException Map name chain on processes", () => {
  it("continues on a FooError for a caller's own BarError key", async () => {
    const { state, errors } = await runWith(new Map([[BarError, "continue"]]));
    expect(state).toEqual({ code: ExitCode.EXHAUSTED });
    expect(errors).toHaveLength(1);
    expect(errors[0]).not.toBeInstanceOf(BarError);
    expect(errors[0]).toMatchObject({ name: "FooError", message: "foo failed" });
    expect(errorClassNames(errors[0])).toEqual(["FooError", "BarError", "Error"]);
  });

  it("still raises for a key named after no class of the chain", async () => {
    await expect(runWith(new Map([[OtherError, "continue"]]))).rejects.toMatchObject({ name: "FooError" });
  });
});
