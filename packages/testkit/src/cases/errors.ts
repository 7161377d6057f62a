/**
 * Error cases: errors thrown by user code keep their class, message, stack, `cause`, `code`
 * and own fields across the boundary; import failures fail only their calls.
 */

import { describe, expect, it } from "vitest";
import { FunctionNotFoundError } from "@amltk/scheduler";
import { registerError } from "@amltk/task/worker";
import { badModule, importErrorsModule, importWorkModule, work } from "../fixtures.js";
import { SLOW, settled, type SuiteContext } from "./harness.js";

/**
 * Registers the error cases.
 *
 * @example
 * ```ts
 * errorCases(suiteContext("threads", make, caps));
 * ```
 */
export function errorCases(ctx: SuiteContext): void {
  describe("errors", () => {
    it("keeps built-in error classes, message, stack, code and own fields", async () => {
      await ctx.withScheduler({}, async (scheduler) => {
        const errors: unknown[] = [];
        scheduler.onStart(async () => {
          for (const kind of ["TypeError", "RangeError", "Error"]) {
            await settled(scheduler.submit(work.throwBuiltin, kind, `bad ${kind}`));
          }
        });
        scheduler.onFutureException((_f, error) => errors.push(error));
        await scheduler.run({ timeout: SLOW, onException: "continue" });
        const thrown = errors as Array<Error & { code?: string; extra?: number }>;
        expect(thrown).toHaveLength(3);
        expect(thrown[0]).toBeInstanceOf(TypeError);
        expect(thrown[1]).toBeInstanceOf(RangeError);
        expect(thrown[2]).toBeInstanceOf(Error);
        expect(thrown[0]!.message).toBe("bad TypeError");
        expect(thrown[0]!.name).toBe("TypeError");
        expect(thrown[0]!.code).toBe("E_BUILTIN");
        expect(thrown[0]!.extra).toBe(42);
        expect(thrown[0]!.stack).toMatch(/work\.mjs/);
      });
    }, SLOW);

    it("rebuilds a class exported by the function's module, with its cause", async () => {
      const { WorkError } = await importWorkModule();
      await ctx.withScheduler({}, async (scheduler) => {
        let error: unknown;
        scheduler.onStart(async () => {
          error = ((await settled(scheduler.submit(work.throwWork, "work failed"))) as { error: unknown }).error;
        });
        await scheduler.run({ timeout: SLOW, onException: "continue" });
        expect(error).toBeInstanceOf(WorkError);
        const e = error as Error & { code: string; detail: unknown; cause: unknown };
        expect(e.message).toBe("work failed");
        expect(e.name).toBe("WorkError");
        expect(e.code).toBe("E_WORK");
        expect(e.detail).toEqual({ step: 3, tags: ["a", "b"] });
        expect(e.cause).toBeInstanceOf(RangeError);
        expect((e.cause as Error).message).toBe("root cause");
        expect(e.stack).toMatch(/throwWork/);
      });
    }, SLOW);

    it("rebuilds a registered class, async rejections, and amltk errors", async () => {
      const { RegisteredError } = await importErrorsModule();
      registerError(RegisteredError);
      await ctx.withScheduler({}, async (scheduler) => {
        const out: unknown[] = [];
        scheduler.onStart(async () => {
          for (const future of [
            scheduler.submit(work.throwRegistered, "registered"),
            scheduler.submit(work.rejectAsync, "async"),
            scheduler.submit((work as unknown as Record<string, typeof work.increment>).noSuchExport!, 1),
          ]) {
            out.push(((await settled(future)) as { error: unknown }).error);
          }
        });
        await scheduler.run({ timeout: SLOW, onException: "continue" });
        expect(out[0]).toBeInstanceOf(RegisteredError);
        expect((out[0] as { detail: string }).detail).toBe("registered detail");
        expect(out[1]).toBeInstanceOf(TypeError);
        expect((out[1] as Error).message).toBe("async");
        expect(out[2]).toBeInstanceOf(FunctionNotFoundError);
        expect((out[2] as FunctionNotFoundError).exportName).toBe("noSuchExport");
        expect((out[2] as FunctionNotFoundError).code).toBe("ERR_AMLTK_FUNCTION_NOT_FOUND");
      });
    }, SLOW);

    it("fails the calls of a module that throws at import, and goes on", async () => {
      await ctx.withScheduler({}, async (scheduler) => {
        const out: Array<{ ok: boolean; error?: unknown; value?: unknown }> = [];
        scheduler.onStart(async () => {
          out.push(await settled(scheduler.submit(badModule.never)));
          out.push(await settled(scheduler.submit(badModule.never)));
          out.push(await settled(scheduler.submit(work.increment, 1)));
        });
        await scheduler.run({ timeout: SLOW, onException: "continue" });
        expect(out[0]!.ok).toBe(false);
        expect((out[0]!.error as Error).message).toMatch(/bad-module\.mjs fails at import/);
        expect((out[1]!.error as Error).message).toMatch(/bad-module\.mjs fails at import/);
        expect(out[2]).toEqual({ ok: true, value: 2 });
      });
    }, SLOW);
  });
}
