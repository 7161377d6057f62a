/**
 * Arguments the main thread cannot clone (a throwing getter, nesting deeper than the stack)
 * fail only their call, with `UnsendableValueError` naming the value's path and what went
 * wrong: not as a dead worker, and never counting towards the crash guard, so a module is
 * not refused after a few bad arguments.
 */
import { describe, expect, it } from "vitest";
import { Scheduler, fromModule } from "@amltk/scheduler";
import { threads, UnsendableValueError, WorkerCrashedError } from "@amltk/executor-threads";

const hostile = fromModule<{ echo<T>(value: T): T }>(new URL("./fixtures/hostile-work.mjs", import.meta.url));
const SLOW = 20_000;

function throwingGetter(): unknown {
  return {
    a: {
      get x(): never {
        throw new Error("getter boom");
      },
    },
  };
}

function deeplyNested(levels: number): unknown {
  const root: { next?: unknown } = {};
  let current = root;
  for (let i = 0; i < levels; i++) current = (current.next = {}) as { next?: unknown };
  return root;
}

async function outcomes(args: unknown[]): Promise<Array<{ ok: boolean; value?: unknown; error?: unknown }>> {
  const scheduler = new Scheduler({ executor: threads({ maxWorkers: 1 }) });
  const out: Array<{ ok: boolean; value?: unknown; error?: unknown }> = [];
  scheduler.onStart(async () => {
    for (const arg of args) {
      try {
        out.push({ ok: true, value: await scheduler.submit(hostile.echo, arg) });
      } catch (error) {
        out.push({ ok: false, error });
      }
    }
  });
  await scheduler.run({ onException: "continue", timeout: SLOW });
  return out;
}

describe("threads: arguments the main thread cannot clone", () => {
  it("fail with UnsendableValueError naming the path and what happened, not as a dead worker", async () => {
    const [getter, deep, fine] = await outcomes([throwingGetter(), deeplyNested(200_000), "fine"]);
    expect(getter!.error).toBeInstanceOf(UnsendableValueError);
    expect(getter!.error).not.toBeInstanceOf(WorkerCrashedError);
    expect(getter!.error).toMatchObject({ path: "args[0].a.x", code: "ERR_AMLTK_UNSENDABLE_VALUE" });
    expect((getter!.error as Error).message).toMatch(/^Cannot send args\[0\]\.a\.x to a worker thread: reading it threw Error: getter boom/);
    expect(deep!.error).toBeInstanceOf(UnsendableValueError);
    expect((deep!.error as UnsendableValueError).path).toMatch(/^args\[0\](\.next)+$/);
    expect((deep!.error as Error).message).toMatch(/nested more than 64 levels deep.*RangeError: Maximum call stack size exceeded/);
    expect(fine).toEqual({ ok: true, value: "fine" });
  }, SLOW);

  it("do not count as crashes: the module is not refused after several bad arguments", async () => {
    const results = await outcomes([throwingGetter(), throwingGetter(), throwingGetter(), throwingGetter(), 7]);
    expect(results.slice(0, 4).every((r) => r.error instanceof UnsendableValueError)).toBe(true);
    expect(results[4]).toEqual({ ok: true, value: 7 });
  }, SLOW);
});

describe("a result the worker cannot post", () => {
  it("fails its call with UnsendableValueError naming the path; the next call runs", async () => {
    const work = fromModule<{ proxyResult(): unknown; echo<T>(value: T): T }>(new URL("./fixtures/hostile-work.mjs", import.meta.url));
    const scheduler = new Scheduler({ executor: threads({ maxWorkers: 1 }) });
    const out: Array<{ ok: boolean; value?: unknown; error?: unknown }> = [];
    scheduler.onStart(async () => {
      for (const submit of [() => scheduler.submit(work.proxyResult), () => scheduler.submit(work.echo, 7)]) {
        try {
          out.push({ ok: true, value: await submit() });
        } catch (error) {
          out.push({ ok: false, error });
        }
      }
    });
    await scheduler.run({ timeout: SLOW, onException: "continue" });
    expect(out[0]!.error).toBeInstanceOf(UnsendableValueError);
    expect((out[0]!.error as UnsendableValueError).path).toBe("result.nested");
    expect(out[1]).toEqual({ ok: true, value: 7 });
  }, SLOW);
});
