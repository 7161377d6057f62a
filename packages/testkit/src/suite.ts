/**
 * `testExecutor`: the conformance suite. The same vitest cases run against every executor,
 * through the real `Scheduler`, so a backend is done when it passes them. Cases a backend
 * cannot pass by nature are skipped by capability, with the reason in the test name. The
 * cases live in `cases/`, one module per subject; a backend adds its own cases to the same
 * `describe` with `additionalTests`.
 */

import { describe } from "vitest";
import { checkOptions } from "@amltk/events";
import type { ExecutorCapabilities, MakeExecutor } from "./capabilities.js";
import { cancellationCases } from "./cases/cancellation.js";
import { commCases } from "./cases/comm.js";
import { contextCases } from "./cases/context.js";
import { crashCases } from "./cases/crashes.js";
import { errorCases } from "./cases/errors.js";
import { suiteContext, type SuiteContext } from "./cases/harness.js";
import { lifecycleCases } from "./cases/lifecycle.js";
import { protocolCases } from "./cases/protocol.js";
import { recyclingCases } from "./cases/recycling.js";
import { resultCases } from "./cases/results.js";
import { runningCases } from "./cases/running.js";
import { unsendableCases } from "./cases/unsendable.js";

/** Options for `testExecutor`. */
export interface TestExecutorOptions {
  /**
   * Registers the backend's own cases inside the suite's `describe`, with the suite's
   * helpers (`ctx.withScheduler`, `ctx.maybe`, ...).
   */
  readonly additionalTests?: (ctx: SuiteContext) => void;
}

/**
 * Runs the conformance suite against executors made by `make`.
 *
 * @throws InvalidArgumentError for an unknown key in `options`.
 * @example
 * ```ts
 * import { it } from "vitest";
 * import { testExecutor } from "@amltk/testkit";
 * import { threads } from "@amltk/executor-threads";
 * testExecutor("threads", (p) => threads({ maxWorkers: p.maxWorkers }), { outOfProcess: true, terminate: true }, {
 *   additionalTests: (ctx) => it("has its own case", async () => ctx.withScheduler({}, async () => {})),
 * });
 * ```
 */
export function testExecutor(
  name: string,
  make: MakeExecutor,
  capabilities: ExecutorCapabilities = {},
  options: TestExecutorOptions = {},
): void {
  checkOptions("options", options, ["additionalTests"]);
  checkOptions("capabilities", capabilities, ["outOfProcess", "terminate", "crash", "recycle", "memoryLimit", "protocolMismatch", "inspect"]);
  const ctx = suiteContext(name, make, capabilities);
  describe(`executor conformance: ${name}`, () => {
    lifecycleCases(ctx);
    resultCases(ctx);
    contextCases(ctx);
    runningCases(ctx);
    errorCases(ctx);
    unsendableCases(ctx);
    cancellationCases(ctx);
    crashCases(ctx);
    recyclingCases(ctx);
    commCases(ctx);
    protocolCases(ctx);
    options.additionalTests?.(ctx);
  });
}
