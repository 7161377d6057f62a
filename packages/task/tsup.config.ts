import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base.ts";

// `worker` is the `@amltk/task/worker` subpath: the plumbing shared by out-of-process executors.
export default defineConfig(packageBuild({ index: "src/index.ts", worker: "src/worker/index.ts" }));
