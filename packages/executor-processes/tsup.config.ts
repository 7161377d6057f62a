import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base.ts";

// The child is its own entry: the executor forks dist/child.js, resolved from dist/index.js.
export default defineConfig(packageBuild({ index: "src/index.ts", child: "src/child.ts" }, { index: "src/index.ts" }));
