import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base.ts";

// The bin is its own entry (tsup keeps its shebang and makes it executable); only the
// library has public types.
export default defineConfig(packageBuild({ index: "src/index.ts", cli: "src/cli.ts" }, { index: "src/index.ts" }));
