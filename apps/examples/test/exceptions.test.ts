/**
 * Exception policies: "raise", "end", "continue", and a Map routing per error class. On
 * threads and processes the error crosses a thread or process boundary; `ValueError` is an
 * export of the called function's module (work.js), so the executor rebuilds it as that very
 * class and `instanceof` (the test's, and the Map policy's) holds.
 */

import { ExitCode } from "@amltk/scheduler";
import { describe, expect, test } from "vitest";
import { collect, example, expectNoWorkersLeft, forEachExecutor } from "./helpers.js";

const { ValueError } = await example<typeof import("../src/work.js")>("work");

forEachExecutor(({ inProcess }) => {
  describe("on-exception-raise", () => {
    test("run() rejects with the call's own ValueError", async () => {
      const { main } = await example<typeof import("../src/on-exception-raise.js")>("on-exception-raise");
      const { lines, log } = collect();
      const { error, scheduler } = await main(log);
      expect(error).toBeInstanceOf(ValueError);
      expect(error).toMatchObject({ name: "ValueError", message: "Failed!" });
      // The stack names the function that threw, also when it ran in a worker.
      expect((error as Error).stack).toMatch(/\bat fail\b.*work\.js/);
      expect(scheduler.onFutureException.count).toBe(1);
      expect(lines).toEqual(["run() rejected with ValueError: Failed!"]);
      expectNoWorkersLeft(scheduler);
    });
  });

  describe("on-exception-end", () => {
    test("the run ends with code EXCEPTION and the error, without rejecting", async () => {
      const { main } = await example<typeof import("../src/on-exception-end.js")>("on-exception-end");
      const { lines, log } = collect();
      const { exit } = await main(log);
      expect(exit.code).toBe(ExitCode.EXCEPTION);
      expect(exit.error).toBeInstanceOf(ValueError);
      expect(lines[0]).toBe("Got exception ValueError: Failed!");
    });
  });

  describe("on-exception-continue", () => {
    test("the error is reported, the other call still returns, the run is EXHAUSTED", async () => {
      const { main } = await example<typeof import("../src/on-exception-continue.js")>("on-exception-continue");
      const { lines, log } = collect();
      const { results, exit } = await main(log);
      expect(exit).toEqual({ code: ExitCode.EXHAUSTED });
      expect(results).toEqual([8]);
      const reports = ["Got exception ValueError: Failed!", "Got result 8"];
      // In-process the failing call, submitted first, is reported first. In a worker the
      // error is rebuilt asynchronously, so the result may be reported before it.
      if (inProcess) expect(lines.slice(0, 2)).toEqual(reports);
      else expect([...lines.slice(0, 2)].sort()).toEqual(reports);
      expect(lines.slice(2)).toEqual(["run ended: exhausted"]);
    });
  });

  describe("on-exception-map", () => {
    test("ValueError continues, then TypeError ends the run", async () => {
      const { main } = await example<typeof import("../src/on-exception-map.js")>("on-exception-map");
      const { log } = collect();
      const { seen, exit } = await main(log);
      const both = ["ValueError: a ValueError from a call", "TypeError: a TypeError from a call"];
      // Both failures are reported either way: the run waits for calls already submitted.
      if (inProcess) expect(seen).toEqual(both);
      else expect([...seen].sort()).toEqual([...both].sort());
      expect(exit.code).toBe(ExitCode.EXCEPTION);
      expect(exit.error).toBeInstanceOf(TypeError);
      expect(exit.error).toMatchObject({ message: "a TypeError from a call" });
    });

    test("a ValueError alone is shrugged off: the run is EXHAUSTED", async () => {
      // Only an error the Map recognises as a ValueError continues; anything else is raised.
      const { main } = await example<typeof import("../src/on-exception-map.js")>("on-exception-map");
      const { log } = collect();
      const { seen, exit } = await main(log, ["ValueError"]);
      expect(seen).toEqual(["ValueError: a ValueError from a call"]);
      expect(exit).toEqual({ code: ExitCode.EXHAUSTED });
    });

    test("an error no key matches is raised", async () => {
      const { main } = await example<typeof import("../src/on-exception-map.js")>("on-exception-map");
      const { log } = collect();
      await expect(main(log, ["RangeError"])).rejects.toThrow(RangeError);
    });
  });
});
