/**
 * The conformance suite on worker threads, with real workers loaded from dist/.
 */
import { threads, type ThreadsExecutor } from "@amltk/executor-threads";
import { testExecutor } from "@amltk/testkit";

testExecutor(
  "threads",
  (profile) =>
    threads({
      maxWorkers: profile.maxWorkers,
      ...(profile.maxTasksPerWorker === undefined ? {} : { maxTasksPerWorker: profile.maxTasksPerWorker }),
      ...(profile.cancelGraceMs === undefined ? {} : { cancelGraceMs: profile.cancelGraceMs }),
      ...(profile.memoryLimitMb === undefined
        ? {}
        : { resourceLimits: { maxOldGenerationSizeMb: profile.memoryLimitMb, maxYoungGenerationSizeMb: 16 } }),
    }),
  {
    outOfProcess: true,
    terminate: true,
    crash: true,
    recycle: true,
    memoryLimit: true,
    inspect: (executor) => ({ live: (executor as ThreadsExecutor).liveWorkers }),
  },
);
