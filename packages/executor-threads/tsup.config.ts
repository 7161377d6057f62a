import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base.ts";

// The worker is its own entry: piscina loads dist/worker.js by path, resolved from dist/index.js.
export default defineConfig(packageBuild({ index: "src/index.ts", worker: "src/worker.ts" }, { index: "src/index.ts" }));
