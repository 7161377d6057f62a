/**
 * Type tests: a task's futures carry the task function's parameters, so callbacks read
 * `future.args` typed, and such futures still fit where any `Future<R>` is expected.
 */
import { describe, expectTypeOf, it } from "vitest";
import { Scheduler, fromModule, type Future } from "../src/index.js";

const work = fromModule<typeof import("./fixtures/work.js")>(new URL("./fixtures/work.js", import.meta.url));

describe("future.args", () => {
  const scheduler = new Scheduler();

  it("is the tuple of the task function's parameters in every task callback", () => {
    const task = scheduler.task((x: number, label: string) => `${label}${x}`);
    task.onResult((future) => expectTypeOf(future.args).toEqualTypeOf<readonly [x: number, label: string]>());
    task.onException((future) => expectTypeOf(future.args).toEqualTypeOf<readonly [x: number, label: string]>());
    task.onDone((future) => expectTypeOf(future.args).toEqualTypeOf<readonly [x: number, label: string]>());
    task.onCancelled((future) => expectTypeOf(future.args).toEqualTypeOf<readonly [x: number, label: string]>());
    task.onSubmitted((future, x, label) => {
      expectTypeOf(future.args).toEqualTypeOf<readonly [x: number, label: string]>();
      expectTypeOf(x).toEqualTypeOf<number>();
      expectTypeOf(label).toEqualTypeOf<string>();
    });
    task.onResult((future) => {
      const [x, label] = future.args;
      expectTypeOf(x).toEqualTypeOf<number>();
      expectTypeOf(label).toEqualTypeOf<string>();
      // @ts-expect-error the function takes two arguments
      void future.args[2];
      // @ts-expect-error the arguments are read-only
      future.args[0] = 1;
    });
  });

  it("is typed from a FunctionRef's module export, and on submit's return and task.futures", () => {
    const task = scheduler.task(work.collatz);
    expectTypeOf(task.submit(1)).toEqualTypeOf<Future<number, [n: number]> | undefined>();
    expectTypeOf(task.futures).toEqualTypeOf<readonly Future<number, [n: number]>[]>();
    task.onResult((future, result) => {
      expectTypeOf(future.args).toEqualTypeOf<readonly [n: number]>();
      expectTypeOf(result).toEqualTypeOf<number>();
      // @ts-expect-error n is a number
      expectTypeOf(future.args[0]).toEqualTypeOf<string>();
    });
  });

  it("defaults to unknown[] where the arguments are not known", () => {
    scheduler.onFutureResult((future) => expectTypeOf(future.args).toEqualTypeOf<readonly unknown[]>());
    expectTypeOf<Future<number>["args"]>().toEqualTypeOf<readonly unknown[]>();
  });

  it("keeps a task's futures assignable to Future<R> and Future<unknown>", () => {
    const task = scheduler.task((x: number, label: string) => `${label}${x}`);
    task.onResult((future) => {
      const plain: Future<string> = future;
      const any: Future = future;
      void plain;
      void any;
      // @ts-expect-error the result is a string
      const wrong: Future<number> = future;
      void wrong;
    });
  });
});
