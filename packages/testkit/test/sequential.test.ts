/**
 * The conformance suite on the in-process `SequentialExecutor`: the reference behaviour.
 * It cannot terminate a running call, survive a crash of its own thread, recycle or limit
 * memory, and it runs plain functions, so those cases are skipped here, visibly.
 */
import { SequentialExecutor } from "@amltk/scheduler";
import { testExecutor } from "../src/index.js";

testExecutor("sequential", (profile) => new SequentialExecutor({ concurrency: profile.maxWorkers }));
