/**
 * Extending the system: a Task subclass with its own event (SeedTask) and an Emitter of
 * your own (Clapper).
 */

import { EventNotKnownError, ExitCode } from "@amltk/scheduler";
import { describe, expect, test } from "vitest";
import { collect, example, forEachExecutor } from "./helpers.js";

forEachExecutor(({ inProcess }) => {
  describe("seed-task", () => {
    test("longest-run fires with strictly increasing counts and ends on the best seed", async () => {
      const { main } = await example<typeof import("../src/seed-task.js")>("seed-task");
      const { lines, log } = collect();
      const { counts, longest, best, exit, scheduler } = await main(log);
      expect(exit.code).toBe(ExitCode.EXHAUSTED);
      expect(counts.size).toBe(10);
      expect([...counts.values()].every((c) => Number.isInteger(c))).toBe(true);
      // The first result is always the longest so far. In-process that is seed 0; on a pool
      // it is whichever call returned first.
      if (inProcess) expect(longest[0]?.[1]).toBe(0);
      expect(longest[0]).toEqual([counts.get(longest[0]![1]), longest[0]![1]]);
      expect(lines[0]).toBe(`Longest run so far: ${longest[0]![0]} (seed ${longest[0]![1]})`);
      for (let i = 1; i < longest.length; i++) expect(longest[i]![0]).toBeGreaterThan(longest[i - 1]![0]);
      const maxCount = Math.max(...[...counts.values()].map((c) => c ?? -1));
      expect(best?.[0]).toBe(maxCount);
      expect(longest.at(-1)).toEqual(best);
      expect(scheduler.tasks[0]?.eventCounts.get("longest-run")).toBe(longest.length);
      expect(lines.filter((l) => l.startsWith("Longest run so far"))).toHaveLength(longest.length);
    });

    test("is deterministic: the same seeds give the same runs", async () => {
      const { main } = await example<typeof import("../src/seed-task.js")>("seed-task");
      const first = collect();
      const second = collect();
      const a = await main(first.log);
      const b = await main(second.log);
      expect(b.counts).toEqual(a.counts);
      expect(b.best?.[0]).toBe(a.best?.[0]);
      // In-process the results also come in the same order, so the whole output repeats. On a
      // pool they come in completion order: the same lines per seed, in another order.
      const perSeed = (lines: string[]) => lines.filter((l) => l.startsWith("seed ")).sort();
      if (inProcess) expect(second.lines).toEqual(first.lines);
      else expect(perSeed(second.lines)).toEqual(perSeed(first.lines));
      expect(perSeed(first.lines)).toHaveLength(10);
    });

    test("can be subscribed to by name like any built-in event", async () => {
      const { SeedTask } = await example<typeof import("../src/seed-task.js")>("seed-task");
      const { makeScheduler, work } = await example<typeof import("../src/setup.js")>("setup");
      const scheduler = makeScheduler();
      const task = new SeedTask(work.randomRun, scheduler);
      const seen: unknown[][] = [];
      task.on("longest-run", (...args) => seen.push(args));
      scheduler.onStart(() => task.submit(3));
      await scheduler.run();
      expect(seen).toEqual([task.best]);
      expect(task.best?.[1]).toBe(3);
    });
  });
});

// Clapper is an Emitter of its own: no scheduler, no executor.
describe("clapper", () => {
  test("claps deterministically for a seed, each clap counted and delivered", async () => {
    const { main } = await example<typeof import("../src/clapper.js")>("clapper");
    const { lines, log } = collect();
    const { volumes, clapper } = await main(log, { seed: 42, tries: 20 });
    const again = await main(() => {}, { seed: 42, tries: 20 });
    expect(again.volumes).toEqual(volumes);
    expect(volumes.length).toBeGreaterThan(0);
    expect(volumes.length).toBeLessThan(20);
    expect(volumes.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(clapper.onClap.count).toBe(volumes.length);
    expect(lines.at(-1)).toBe(`${volumes.length} claps in 20 tries`);
    const other = await main(() => {}, { seed: 7, tries: 20 });
    expect(other.volumes).not.toEqual(volumes);
  });

  test("a misspelt event name fails at registration", async () => {
    const { Clapper } = await example<typeof import("../src/clapper.js")>("clapper");
    expect(() => new Clapper().on("clapp", () => {})).toThrow(EventNotKnownError);
  });
});
