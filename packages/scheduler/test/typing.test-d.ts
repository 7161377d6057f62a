import { describe, expectTypeOf, it } from "vitest";
import { Scheduler, fromModule, type Callable, type Future, type FunctionRef, type Plugin, type PreSubmitResult, type Task } from "../src/index.js";

const work = fromModule<typeof import("./fixtures/work.js")>(new URL("./fixtures/work.js", import.meta.url));

describe("task typing", () => {
  const scheduler = new Scheduler();

  it("types FunctionRefs from the module's exports", () => {
    expectTypeOf(work.collatz).toEqualTypeOf<FunctionRef<(n: number) => number>>();
    // @ts-expect-error no such export
    void work.colatz;
  });

  it("types a task from a FunctionRef", () => {
    const task = scheduler.task(work.collatz);
    expectTypeOf(task).toEqualTypeOf<Task<[n: number], number>>();
    expectTypeOf(task.submit(1)).toEqualTypeOf<Future<number, [n: number]> | undefined>();
    // @ts-expect-error collatz takes a number
    task.submit("12");
    task.onResult((future, result) => {
      expectTypeOf(future).toEqualTypeOf<Future<number, [n: number]>>();
      expectTypeOf(result).toEqualTypeOf<number>();
    });
    task.onSubmitted((_future, n) => expectTypeOf(n).toEqualTypeOf<number>());
  });

  it("unwraps async results", () => {
    const task = scheduler.task(work.attemptAndSignal);
    task.onResult((_f, r) => expectTypeOf(r).toEqualTypeOf<{ attempt: number; aborted: boolean }>());
    const plain = scheduler.task(async (x: string) => x.length);
    expectTypeOf(plain).toEqualTypeOf<Task<[x: string], number>>();
  });

  it("types scheduler.submit from the function", () => {
    const future = scheduler.submit((a: number, b: string) => `${a}${b}`, 1, "x");
    expectTypeOf(future).toEqualTypeOf<Future<string>>();
    // @ts-expect-error wrong argument types
    scheduler.submit((a: number) => a, "x");
  });

  it("types scheduler events by name and by subscriber", () => {
    scheduler.on("stop", (reason, error) => {
      expectTypeOf(reason).toEqualTypeOf<string>();
      expectTypeOf(error).toEqualTypeOf<unknown>();
    });
    scheduler.onFutureResult((future) => expectTypeOf(future).toEqualTypeOf<Future<any>>());
    // @ts-expect-error start takes no arguments
    scheduler.emit("start", 1);
  });

  it("lets stop be passed directly as a callback", () => {
    const task = scheduler.task(work.collatz);
    task.onException(scheduler.stop);
    scheduler.onFutureResult(scheduler.stop);
  });
});

describe("options and plugins", () => {
  it("accepts explicit undefined for optional options (exactOptionalPropertyTypes)", () => {
    const maybe = undefined as number | undefined;
    const scheduler = new Scheduler({ executor: undefined });
    void scheduler.run({ timeout: maybe, display: undefined });
    scheduler.onStart(() => {}, { maxCalls: maybe, every: maybe });
    scheduler.task((x: number) => x, { name: undefined, plugins: undefined });
  });

  it("lets a plugin annotate preSubmit with PreSubmitResult", () => {
    class Passthrough implements Plugin {
      readonly name = "passthrough";
      attachTask(): void {}
      preSubmit(fn: Callable, args: unknown[]): PreSubmitResult {
        return [fn, args];
      }
    }
    expectTypeOf(new Passthrough().preSubmit).returns.toEqualTypeOf<PreSubmitResult>();
  });
});
