/**
 * Exception policies: "raise", "end", "continue", and a Map routing per error class.
 */

import { ExitCode } from "@amltk/scheduler";
import { describe, expect, test } from "vitest";
import { collect, example } from "./helpers.js";

const { ValueError } = await example<typeof import("../src/work.js")>("work");

describe("on-exception-raise", () => {
  test("run() rejects with the call's own ValueError", async () => {
    const { main } = await example<typeof import("../src/on-exception-raise.js")>("on-exception-raise");
    const { lines, log } = collect();
    const { error, scheduler } = await main(log);
    expect(error).toBeInstanceOf(ValueError);
    expect(error).toMatchObject({ name: "ValueError", message: "Failed!" });
    expect(scheduler.onFutureException.count).toBe(1);
    expect(lines).toEqual(["run() rejected with ValueError: Failed!"]);
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
    expect(lines).toEqual(["Got exception ValueError: Failed!", "Got result 8", "run ended: exhausted"]);
  });
});

describe("on-exception-map", () => {
  test("ValueError continues, then TypeError ends the run", async () => {
    const { main } = await example<typeof import("../src/on-exception-map.js")>("on-exception-map");
    const { log } = collect();
    const { seen, exit } = await main(log);
    expect(seen).toEqual(["ValueError: a ValueError from a call", "TypeError: a TypeError from a call"]);
    expect(exit.code).toBe(ExitCode.EXCEPTION);
    expect(exit.error).toBeInstanceOf(TypeError);
  });

  test("a ValueError alone is shrugged off: the run is EXHAUSTED", async () => {
    const { main } = await example<typeof import("../src/on-exception-map.js")>("on-exception-map");
    const { log } = collect();
    const { exit } = await main(log, ["ValueError"]);
    expect(exit).toEqual({ code: ExitCode.EXHAUSTED });
  });

  test("an error no key matches is raised", async () => {
    const { main } = await example<typeof import("../src/on-exception-map.js")>("on-exception-map");
    const { log } = collect();
    await expect(main(log, ["RangeError"])).rejects.toThrow(RangeError);
  });
});
