import { describe, expect, it } from "vitest";
import { ExitCode, Scheduler } from "../src/index.js";
import { identity, record } from "./helpers.js";

describe("empty (DESIGN 4.3)", () => {
  it("work submitted inside an empty callback keeps the run going (fix over AMLTK)", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(identity<number>);
    const results: number[] = [];
    let refills = 0;
    scheduler.onStart(() => task.submit(0));
    task.onResult((_future, value) => results.push(value));
    scheduler.onEmpty(() => {
      if (refills < 2) task.submit(++refills);
    });
    expect(await scheduler.run()).toEqual({ code: ExitCode.EXHAUSTED });
    expect(results).toEqual([0, 1, 2]);
    expect(scheduler.onEmpty.count).toBe(3);
    expect(task.onResult.count).toBe(3);
  });

  it("code resuming from `await future` can still submit before empty is checked", async () => {
    const scheduler = new Scheduler();
    const values: number[] = [];
    scheduler.onStart(() => {
      const future = scheduler.submit(identity<number>, 1);
      // Not a callback the run tracks: a plain promise chain resuming after the result.
      void (async () => {
        const value = await future;
        values.push(value);
        values.push(await scheduler.submit(identity<number>, value + 1));
      })();
    });
    expect(await scheduler.run()).toEqual({ code: ExitCode.EXHAUSTED });
    expect(values).toEqual([1, 2]);
    expect(scheduler.onEmpty.count).toBe(1);
  });

  it("with endOnEmpty false emits empty each time the run drains, and no more when nothing happens", async () => {
    const scheduler = new Scheduler();
    const trace = record(scheduler);
    let batches = 0;
    scheduler.onStart(() => scheduler.submit(identity, 1));
    scheduler.onEmpty(() => {
      batches++;
      if (batches < 2) scheduler.submit(identity, 2);
      else scheduler.callLater(20, () => scheduler.stop());
    });
    expect(await scheduler.run({ endOnEmpty: false })).toEqual({ code: ExitCode.STOPPED });
    expect(trace.filter((e) => e.startsWith("S:empty"))).toHaveLength(2);
    expect(trace.at(-3)).toBe("S:stop");
  });

  it("emits no empty once the run is ending", async () => {
    const scheduler = new Scheduler();
    scheduler.onStart(() => {
      scheduler.submit(identity, 1);
      scheduler.stop();
    });
    await scheduler.run();
    expect(scheduler.onEmpty.count).toBe(0);
    expect(scheduler.onFutureResult.count).toBe(1);
  });

  it("empty() says whether any call is queued or running", async () => {
    const scheduler = new Scheduler();
    const seen: boolean[] = [];
    scheduler.onStart(() => {
      seen.push(scheduler.empty());
      scheduler.submit(identity, 1);
      seen.push(scheduler.empty());
    });
    scheduler.onFutureResult(() => seen.push(scheduler.empty()));
    await scheduler.run();
    expect(seen).toEqual([true, false, true]);
  });
});
