/**
 * Cases for values that cannot cross to an out-of-process worker: a plain function is refused
 * at submit; an unsendable argument or result fails one call, naming the value's path.
 */

import { describe, expect } from "vitest";
import { work } from "../fixtures.js";
import { SLOW, settled, type SuiteContext } from "./harness.js";

/**
 * Registers the unsendable-value cases.
 *
 * @example
 * ```ts
 * unsendableCases(suiteContext("threads", make, caps));
 * ```
 */
export function unsendableCases(ctx: SuiteContext): void {
  describe("values that cannot be sent", () => {
    const when = ctx.maybe(ctx.caps.outOfProcess, "runs calls in-process");

    when("refuses a plain function at submit, saying to use fromModule", async () => {
      await ctx.withScheduler({}, async (scheduler) => {
        let thrown: unknown;
        scheduler.onStart(() => {
          try {
            scheduler.submit((x: number) => x + 1, 1);
          } catch (error) {
            thrown = error;
          }
        });
        await scheduler.run({ timeout: SLOW });
        expect((thrown as Error).message).toMatch(/fromModule/);
        expect((thrown as { code: string }).code).toBe("ERR_AMLTK_FUNCTION_REF_REQUIRED");
      });
    }, SLOW);

    when("fails one call whose argument or result cannot be sent, naming the path", async () => {
      await ctx.withScheduler({}, async (scheduler) => {
        const out: Array<{ ok: boolean; error?: unknown; value?: unknown }> = [];
        scheduler.onStart(async () => {
          out.push(await settled(scheduler.submit(work.echo, { nested: [1, { cb: () => 1 }] })));
          out.push(await settled(scheduler.submit(work.echo, Symbol("s"))));
          out.push(await settled(scheduler.submit(work.returnFunction)));
          out.push(await settled(scheduler.submit(work.increment, 1)));
        });
        await scheduler.run({ timeout: SLOW, onException: "continue" });
        for (const [i, path] of [[0, "args[0].nested[1].cb"], [1, "args[0]"], [2, "result.callback"]] as const) {
          const error = out[i]!.error as { name: string; path: string; message: string };
          expect(error.name).toBe("UnsendableValueError");
          expect(error.path).toBe(path);
          expect(error.message).toContain(path);
        }
        expect(out[3]).toEqual({ ok: true, value: 2 });
      });
    }, SLOW);
  });
}
