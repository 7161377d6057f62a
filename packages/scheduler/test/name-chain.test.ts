/**
 * The name-chain rule of `onException` Maps (DESIGN §4.4), in-process: an error matches a
 * key whose `name` is a class name in its prototype chain, so a policy written with a
 * same-named class of the caller's own means what it means on threads and processes, where
 * the worker's class cannot be rebuilt.
 */
import { describe, expect, it } from "vitest";
import { decodeError, encodeError, errorClassNames } from "@amltk/task/worker";
import { ExitCode, Scheduler, actionFor, fromModule } from "../src/index.js";

class BarError extends Error {}
class OtherError extends Error {}
const chain = fromModule<{ throwFoo(): never }>(new URL("./fixtures/chain-work.mjs", import.meta.url));

async function runWith(policy: Map<abstract new (...args: any[]) => Error, "continue" | "raise" | "end">) {
  const scheduler = new Scheduler();
  const errors: unknown[] = [];
  scheduler.onStart(() => scheduler.submit(chain.throwFoo));
  scheduler.onFutureException((_future, error) => errors.push(error));
  const state = await scheduler.run({ onException: policy });
  return { state, errors };
}

describe("onException Map name chain", () => {
  it("continues on a FooError for a caller's own BarError key, though FooError is no instance of it", async () => {
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

  it("takes the first matching entry in Map order, by instanceof or by name", () => {
    class FooError extends Error {}
    const foreign = decodeError(encodeError(new (class FooError extends BarError {})("x")));
    expect(foreign).not.toBeInstanceOf(FooError);
    expect(errorClassNames(foreign)).toEqual(["FooError", "BarError", "Error"]);
    expect(actionFor(new Map([[FooError, "end"], [BarError, "continue"]]), foreign)).toBe("end");
    expect(actionFor(new Map([[Error, "end"], [FooError, "continue"]]), foreign)).toBe("end");
    expect(actionFor(new Map([[OtherError, "end"]]), foreign)).toBe("raise");
  });
});
