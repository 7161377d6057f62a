/**
 * Ending a run: `stop()` with `wait: false`, `timeout` with and without waiting, and a
 * `callLater` that stops the run. On threads and processes, `wait: false` also ends the
 * workers: none is left once `run()` returns.
 */

import { ExitCode } from "@amltk/scheduler";
import { describe, expect, test } from "vitest";
import { collect, example, expectNoWorkersLeft, forEachExecutor } from "./helpers.js";

/**
 * The examples sleep for 10 s; a run that waited for that would take at least this long. A
 * pool that cannot reach the sleeping function gives it `cancelGraceMs` (1 s) before it
 * ends the worker, which is still far below this.
 */
const FAR_LESS_THAN_THE_SLEEP = 5_000;

forEachExecutor(() => {
  describe("stop", () => {
    test("stop() with wait: false cancels the ten-second call and returns at once", async () => {
      const { main } = await example<typeof import("../src/stop.js")>("stop");
      const { lines, log } = collect();
      const started = performance.now();
      const { exit, scheduler } = await main(log);
      expect(performance.now() - started).toBeLessThan(FAR_LESS_THAN_THE_SLEEP);
      expect(exit.code).toBe(ExitCode.STOPPED);
      expect(scheduler.eventCounts.get("future-cancelled")).toBe(1);
      expect(scheduler.eventCounts.get("future-done") ?? 0).toBe(0);
      expect(scheduler.eventCounts.get("stop")).toBe(1);
      expect(lines).toContain("future-cancelled 1, future-done 0");
      expectNoWorkersLeft(scheduler);
    });
  });

  describe("timeout", () => {
    test("endless resubmission is ended by the timeout, and nothing resubmits after it", async () => {
      const { main } = await example<typeof import("../src/timeout.js")>("timeout");
      const { log } = collect();
      const { completed, exit, scheduler } = await main(log, 150);
      expect(exit.code).toBe(ExitCode.TIMEOUT);
      expect(scheduler.onTimeout.count).toBe(1);
      expect(completed).toBeGreaterThan(0);
      // wait: true (the default): every submitted call completed, none was cancelled or left behind.
      expect(scheduler.onFutureDone.count).toBe(scheduler.onFutureSubmitted.count);
      expect(scheduler.onFutureCancelled.count).toBe(0);
      expect(scheduler.queue).toEqual([]);
      expectNoWorkersLeft(scheduler);
    });
  });

  describe("timeout-no-wait", () => {
    test("timeout with wait: false cancels the sleeping call instead of waiting ten seconds", async () => {
      const { main } = await example<typeof import("../src/timeout-no-wait.js")>("timeout-no-wait");
      const { lines, log } = collect();
      const started = performance.now();
      const { exit, scheduler } = await main(log, 50);
      expect(performance.now() - started).toBeLessThan(FAR_LESS_THAN_THE_SLEEP);
      expect(exit.code).toBe(ExitCode.TIMEOUT);
      expect(scheduler.onFutureCancelled.count).toBe(1);
      expect(scheduler.onFutureDone.count).toBe(0);
      expect(lines).toEqual(["run ended: timeout; 1 call cancelled, 0 done"]);
      expectNoWorkersLeft(scheduler);
    });
  });

  describe("call-later", () => {
    test("the delayed function runs once and stops a run that would not end on empty", async () => {
      const { main } = await example<typeof import("../src/call-later.js")>("call-later");
      const { lines, log } = collect();
      const { exit, scheduler } = await main(log, 30);
      expect(lines).toEqual(["Ending now!", "run ended: stopped"]);
      expect(exit.code).toBe(ExitCode.STOPPED);
      expect(scheduler.onStop.count).toBe(1);
    });
  });
});
