/**
 * @amltk/testkit (private): the conformance suite every amltk-ts executor must pass, and the
 * work modules it runs.
 *
 * @example
 * ```ts
 * import { testExecutor } from "@amltk/testkit";
 * testExecutor("sequential", (p) => new SequentialExecutor({ concurrency: p.maxWorkers }));
 * ```
 */
export type { ExecutorCapabilities, ExecutorProfile, MakeExecutor } from "./capabilities.js";
export { badModule, fixtureUrl, work, type WorkModule } from "./fixtures.js";
export { testExecutor } from "./suite.js";
