/**
 * The shared setup: choosing the executor with AMLTK_EXECUTOR, and the example's `workers`
 * wish reaching the pool as `maxWorkers`.
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

  test.each(["threads", "processes"])("AMLTK_EXECUTOR=%s gives a pool of the wished size", (value) => {
    vi.stubEnv("AMLTK_EXECUTOR", value);
    const executor = makeScheduler({ workers: 3 }).executor;
    expect(executor.kind).toBe(value);
    expect(executor.describe()).toMatchObject({ maxWorkers: 3, workers: 0 });
    // No wish: the pool's own default.
    expect(makeScheduler().executor.describe().maxWorkers).toBeGreaterThanOrEqual(1);
  });

  test("an unknown executor fails with the list of available ones", () => {
    vi.stubEnv("AMLTK_EXECUTOR", "warp-drive");
    expect(() => makeScheduler()).toThrow(UnknownExecutorError);
    expect(() => makeScheduler()).toThrow(
      'AMLTK_EXECUTOR="warp-drive" is not an available executor; available: sequential, threads, processes.',
    );
    expect(availableExecutors).toEqual(["sequential", "threads", "processes"]);
  });
});
