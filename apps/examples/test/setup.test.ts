/**
 * The shared setup: choosing the executor with AMLTK_EXECUTOR.
 */

import { afterEach, describe, expect, test, vi } from "vitest";
import { example } from "./helpers.js";

const { makeScheduler, availableExecutors, UnknownExecutorError } =
  await example<typeof import("../src/setup.js")>("setup");

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("makeScheduler", () => {
  test.each([undefined, "", "sequential"])("AMLTK_EXECUTOR=%j gives the sequential executor", (value) => {
    vi.stubEnv("AMLTK_EXECUTOR", value);
    expect(makeScheduler().executor.kind).toBe("sequential");
  });

  test("an unknown executor fails with the list of available ones", () => {
    vi.stubEnv("AMLTK_EXECUTOR", "warp-drive");
    expect(() => makeScheduler()).toThrow(UnknownExecutorError);
    expect(() => makeScheduler()).toThrow(/AMLTK_EXECUTOR="warp-drive" .*available: sequential/);
    expect(availableExecutors).toContain("sequential");
  });
});
