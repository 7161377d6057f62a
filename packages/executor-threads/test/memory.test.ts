/**
 * Out-of-memory calls on threads: by default each worker's heap limit is below the main
 * thread's, so a call that runs out of memory fails alone with `WorkerMemoryLimitError`
 * instead of V8 aborting the whole program; the next call runs on a fresh worker.
 */
import { getHeapStatistics } from "node:v8";
import { describe, expect, it } from "vitest";
import { Scheduler, fromModule } from "@amltk/scheduler";
import { defaultMaxOldGenerationSizeMb, threads, WorkerMemoryLimitError } from "@amltk/executor-threads";
import { work } from "@amltk/testkit";

const heap = fromModule<{ heapLimitMb(): number }>(new URL("./fixtures/heap-limit.mjs", import.meta.url));
const parentMb = getHeapStatistics().heap_size_limit / (1024 * 1024);
const SLOW = 20_000;

async function settled(promise: PromiseLike<unknown>) {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

describe("threads memory limits", () => {
  it("gives each worker a heap limit below the main thread's by default", async () => {
    const executor = threads({ maxWorkers: 1 });
    expect(executor.options.resourceLimits.maxOldGenerationSizeMb).toBe(defaultMaxOldGenerationSizeMb());
    expect(defaultMaxOldGenerationSizeMb()).toBeLessThan(parentMb);
    // Other limits given: the default old-generation limit still applies.
    expect(threads({ resourceLimits: { stackSizeMb: 8 } }).options.resourceLimits).toEqual({
      stackSizeMb: 8,
      maxOldGenerationSizeMb: defaultMaxOldGenerationSizeMb(),
    });
    const scheduler = new Scheduler({ executor });
    let workerMb = Number.NaN;
    scheduler.onStart(() => scheduler.submit(heap.heapLimitMb));
    scheduler.onFutureResult((_future, mb) => (workerMb = mb as number));
    await scheduler.run({ timeout: SLOW });
    expect(workerMb).toBeLessThan(parentMb);
  }, SLOW);

  it("fails only the call that ran out of memory; the next call succeeds", async () => {
    const scheduler = new Scheduler({ executor: threads({ maxWorkers: 1, resourceLimits: { maxOldGenerationSizeMb: 32 } }) });
    const out: Array<{ ok: boolean; error?: unknown; value?: unknown }> = [];
    scheduler.onStart(async () => {
      out.push(await settled(scheduler.submit(work.allocate)));
      out.push(await settled(scheduler.submit(work.increment, 1)));
    });
    await scheduler.run({ timeout: SLOW, onException: "continue" });
    expect(out[0]!.error).toBeInstanceOf(WorkerMemoryLimitError);
    expect(out[1]).toEqual({ ok: true, value: 2 });
  }, SLOW);

  it("rejects unknown or bad resource limits", () => {
    expect(() => threads({ resourceLimits: { maxOldGenerationSize: 64 } as never })).toThrow(/options\.resourceLimits\.maxOldGenerationSize /);
    expect(() => threads({ resourceLimits: { maxOldGenerationSizeMb: -1 } })).toThrow(/options\.resourceLimits\.maxOldGenerationSizeMb/);
  });
});
