/**
 * Extending the system: a Task subclass with its own event (SeedTask) and an Emitter of
 * your own (Clapper).
 */

import { EventNotKnownError, ExitCode } from "@amltk/scheduler";
import { describe, expect, test } from "vitest";
import { collect, example } from "./helpers.js";

describe("seed-task", () => {
  test("longest-run fires with strictly increasing counts and ends on the best seed", async () => {
    const { main } = await example<typeof import("../src/seed-task.js")>("seed-task");
    const { lines, log } = collect();
    const { counts, longest, best, exit, scheduler } = await main(log);
    expect(exit.code).toBe(ExitCode.EXHAUSTED);
    expect(counts.size).toBe(10);
    expect(longest[0]?.[1]).toBe(0); // the first result is always the longest so far
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
    await main(first.log);
    await main(second.log);
    expect(second.lines).toEqual(first.lines);
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
  });
});

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
