/**
 * The conformance suite on the in-process `SequentialExecutor`: the reference behaviour.
 * It cannot terminate a running call, survive a crash of its own thread, recycle or limit
 * memory, and it runs plain functions, so those cases are skipped here, visibly. Its own
 * case (plain functions) goes through `additionalTests`, which also checks the hook.
 */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@amltk/events";
import { SequentialExecutor } from "@amltk/scheduler";
import { testExecutor } from "../src/index.js";

const make = (profile: { maxWorkers: number }) => new SequentialExecutor({ concurrency: profile.maxWorkers });

testExecutor("sequential", make, {}, {
  additionalTests: (ctx) => {
    describe("in-process only", () => {
      it("runs a plain function, inside the suite's describe", async () => {
        await ctx.withScheduler({}, async (scheduler) => {
          let out: unknown;
          scheduler.onStart(async () => {
            out = await scheduler.submit((x: number) => x * 2, 21);
          });
          await scheduler.run();
          expect(out).toBe(42);
          expect(ctx.name).toBe("sequential");
        });
      });
    });
  },
});

describe("testExecutor options", () => {
  it("rejects unknown option and capability keys", () => {
    expect(() => testExecutor("typo", make, {}, { additionalTest: () => {} } as never)).toThrow(InvalidArgumentError);
    expect(() => testExecutor("typo", make, { outOfProces: true } as never)).toThrow(InvalidArgumentError);
  });
});
