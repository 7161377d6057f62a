/**
 * The conformance suite on child processes, with real children forked from dist/child.js.
 * For the protocol-mismatch case, children are started with a preload that makes them say
 * `hello` with another protocol version.
 */
import { processes, type ProcessesExecutor } from "@amltk/executor-processes";
import { testExecutor, wrongProtocolPreload, type ExecutorProfile } from "@amltk/testkit";

const make = (profile: ExecutorProfile, execArgv?: string[]) =>
  processes({
    ...(execArgv === undefined ? {} : { execArgv }),
    maxWorkers: profile.maxWorkers,
    ...(profile.maxTasksPerWorker === undefined ? {} : { maxTasksPerWorker: profile.maxTasksPerWorker }),
    ...(profile.cancelGraceMs === undefined ? {} : { cancelGraceMs: profile.cancelGraceMs }),
    ...(profile.memoryLimitMb === undefined ? {} : { memoryLimitMb: profile.memoryLimitMb }),
  });

testExecutor(
  "processes",
  (profile) => make(profile),
  {
    outOfProcess: true,
    terminate: true,
    crash: true,
    recycle: true,
    memoryLimit: true,
    protocolMismatch: (profile) => make(profile, [...process.execArgv, "--import", wrongProtocolPreload.href]),
    inspect: (executor) => ({
      live: (executor as ProcessesExecutor).liveWorkers,
      pids: (executor as ProcessesExecutor).pids,
    }),
  },
);
