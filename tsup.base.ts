/**
 * The build every published package shares: ESM only, Node 20, declarations, source maps,
 * a flat dist/ (worker entry points resolve relative to the built files).
 */
import type { Options } from "tsup";

export function packageBuild(entry: Options["entry"] = ["src/index.ts"]): Options {
  return {
    entry,
    format: ["esm"],
    target: "node20",
    dts: true,
    sourcemap: true,
    clean: true,
  };
}
