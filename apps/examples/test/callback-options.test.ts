/**
 * The callback options: `repeat`, `maxCalls` (the guide's `limit=`), `when` and `every`.
 * Callbacks run in the main thread whatever the executor, so every assertion is exact.
 */

import { ExitCode } from "@amltk/scheduler";
import { describe, expect, test } from "vitest";
import { collect, example, forEachExecutor } from "./helpers.js";

forEachExecutor(({ executor }) => {
  describe("repeat", () => {
    test("one start emission prints hello three times, counted as one call", async () => {
      const { main } = await example<typeof import("../src/repeat.js")>("repeat");
      const { lines, log } = collect();
      const { exit, scheduler } = await main(log);
      expect(scheduler.executor.kind).toBe(executor);
      expect(lines).toEqual(["hello", "hello", "hello"]);
      expect(scheduler.listeners("start")[0]?.calls).toBe(1);
      expect(exit.code).toBe(ExitCode.EXHAUSTED);
    });
  });

  describe("max-calls", () => {
    test("the limited callback resubmits three times: four calls in all", async () => {
      const { main } = await example<typeof import("../src/max-calls.js")>("max-calls");
      const { lines, log } = collect();
      const { submitted, resubmissions, exit, scheduler } = await main(log);
      expect(resubmissions).toBe(3);
      expect(submitted).toBe(4);
      expect(scheduler.eventCounts.get("future-result")).toBe(4);
      const handler = scheduler.listeners("future-result").find((h) => h.name === "resubmit");
      expect(handler).toMatchObject({ calls: 3, seen: 4, maxCalls: 3 });
      expect(lines.at(-1)).toBe("4 calls submitted, 4 results");
      expect(exit.code).toBe(ExitCode.EXHAUSTED);
    });
  });

  describe("when", () => {
    test.each([
      ["English", "hello"],
      ["German", "guten tag"],
    ] as const)("with locale %s only the matching greeting is printed", async (locale, greeting) => {
      const { main } = await example<typeof import("../src/when.js")>("when");
      const { lines, log } = collect();
      const { exit } = await main(log, locale);
      expect(lines).toEqual([greeting]);
      expect(exit.code).toBe(ExitCode.EXHAUSTED);
    });

    test("with a random locale exactly one greeting is printed", async () => {
      const { main } = await example<typeof import("../src/when.js")>("when");
      const { lines, log } = collect();
      const { locale } = await main(log);
      expect(lines).toEqual([locale === "English" ? "hello" : "guten tag"]);
    });
  });

  describe("every", () => {
    test("every: 2 over five runs of one scheduler prints hello twice, on runs 2 and 4", async () => {
      const { main } = await example<typeof import("../src/every.js")>("every");
      const { lines, log } = collect();
      const { exits, scheduler } = await main(log);
      expect(lines).toEqual(["hello (run 2)", "hello (run 4)"]);
      expect(exits.map((e) => e.code)).toEqual(Array(5).fill(ExitCode.EXHAUSTED));
      expect(scheduler.onStart.count).toBe(5);
      expect(scheduler.listeners("start").find((h) => h.name === "printHello")).toMatchObject({ seen: 5, calls: 2 });
    });
  });
});
