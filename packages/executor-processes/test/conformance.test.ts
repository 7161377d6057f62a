/**
 * The conformance suite on child processes, with real children forked from dist/child.js.
 */
import { processes, type ProcessesExecutor } from "@amltk/executor-processes";
import { testExecutor } from "@amltk/testkit";

testExecutor(
  "processes",
  (profile) =>
    processes({
      maxWorkers: profile.maxWorkers,
      ...(profile.maxTasksPerWorker === undefined ? {} : { maxTasksPerWorker: profile.maxTasksPerWorker }),
      ...(profile.cancelGraceMs === undefined ? {} : { cancelGraceMs: profile.cancelGraceMs }),
      ...(profile.memoryLimitMb === undefined ? {} : { memoryLimitMb: profile.memoryLimitMb }),
    }),
  {
    outOfProcess: true,
    terminate: true,
    crash: true,
    recycle: true,
    memoryLimit: true,
    inspect: (executor) => ({
      live: (executor as ProcessesExecutor).liveWorkers,
      pids: (executor as ProcessesExecutor).pids,
    }),
  },
);
