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
export {
  deferred,
  eventually,
  PROMPT_MARGIN_MS,
  settled,
  SLOW,
  submitOptions,
  within,
  type CaseRegistrar,
  type ManualSubmitOptions,
  type Settled,
  type SuiteContext,
} from "./cases/harness.js";
export { badModule, fixtureUrl, slowImport, work, wrongProtocolPreload, type Seen, type WorkModule } from "./fixtures.js";
export { testExecutor, type TestExecutorOptions } from "./suite.js";
