/**
 * The Limiter plugin: dropping refused items, and requeueing them with `Requeue`.
 */

import { ExitCode } from "@amltk/scheduler";
import { describe, expect, test } from "vitest";
import { ascending, collect, example, forEachExecutor } from "./helpers.js";

const ALL = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

forEachExecutor(({ inProcess }) => {
  describe("limiter", () => {
    test("with two calls allowed at once, the third and fourth submissions are dropped", async () => {
      const { main } = await example<typeof import("../src/limiter.js")>("limiter");
      const { lines, log } = collect();
      const { results, dropped, exit, scheduler } = await main(log);
      // The four submissions from `start` happen before any result can arrive, so the same
      // two are dropped on every executor; after that one call ends before the next starts.
      expect(dropped).toEqual([2, 3]);
      // On a pool of two workers the two calls in flight return in either order.
      if (inProcess) expect(results).toEqual([0, 1, 4, 5, 6, 7, 8, 9]);
      else expect(ascending(results)).toEqual([0, 1, 4, 5, 6, 7, 8, 9]);
      expect(scheduler.tasks[0]?.eventCounts.get("concurrent-limit-reached")).toBe(2);
      expect(scheduler.onFutureSubmitted.count).toBe(8);
      expect(lines.at(-1)).toBe("dropped by the limiter: 2, 3");
      expect(exit.code).toBe(ExitCode.EXHAUSTED);
    });
  });

  describe("limiter-requeue", () => {
    test("refused items are put back, so every item is computed", async () => {
      const { main } = await example<typeof import("../src/limiter-requeue.js")>("limiter-requeue");
      const { log } = collect();
      const { results, limitReached, exit } = await main(log);
      expect(ascending(results)).toEqual(ALL);
      expect(limitReached).toBeGreaterThan(0);
      expect(exit.code).toBe(ExitCode.EXHAUSTED);
    });
  });
});

describe("Requeue", () => {
  test("requeued items come back first, appended ones last", async () => {
    const { Requeue } = await example<typeof import("../src/requeue.js")>("requeue");
    const items = new Requeue([1, 2, 3]);
    expect(items.next()).toEqual({ done: false, value: 1 });
    items.requeue(1);
    items.append(9);
    items.requeue(0);
    expect([...items]).toEqual([0, 1, 2, 3, 9]);
    expect(items.next()).toEqual({ done: true, value: undefined });
  });
});
