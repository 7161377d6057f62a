/**
 * Protocol cases: a worker that speaks another protocol version fails the calls sent to it
 * with `ProtocolVersionError`, once per connection rather than by hanging, and the run ends.
 * Generic code cannot make a worker speak another version, so the backend supplies an
 * executor that does (`capabilities.protocolMismatch`).
 */

import { describe, expect } from "vitest";
import { ExitCode, Scheduler } from "@amltk/scheduler";
import { work } from "../fixtures.js";
import { SLOW, settled, type Settled, type SuiteContext } from "./harness.js";

/**
 * Registers the protocol cases.
 *
 * @example
 * ```ts
 * protocolCases(suiteContext("processes", make, { protocolMismatch: (p) => ... }));
 * ```
 */
export function protocolCases(ctx: SuiteContext): void {
  describe("protocol", () => {
    const mismatch = ctx.caps.protocolMismatch;
    ctx.maybe(mismatch !== undefined, "has no way to make a worker of another protocol version")(
      "fails every call with ProtocolVersionError when the worker speaks another version",
      async () => {
        const executor = mismatch!({ maxWorkers: 1 });
        const scheduler = new Scheduler({ executor });
        const seen = new Set<number>();
        scheduler.on("future-done", () => {
          for (const pid of ctx.caps.inspect?.(executor).pids ?? []) seen.add(pid);
        }, { hidden: true });
        const out: Array<Settled<number>> = [];
        try {
          scheduler.onStart(async () => {
            const futures = [1, 2, 3].map((x) => scheduler.submit(work.increment, x));
            for (const future of futures) out.push(await settled(future));
          });
          const exit = await scheduler.run({ timeout: SLOW, onException: "continue" });
          expect(exit.code).toBe(ExitCode.EXHAUSTED);
          expect(out).toHaveLength(3);
          for (const each of out) {
            expect(each.ok).toBe(false);
            expect((each as { error: Error }).error.name).toBe("ProtocolVersionError");
          }
        } finally {
          await ctx.expectNoLeftovers(executor, seen);
        }
      },
      SLOW,
    );
  });
}
