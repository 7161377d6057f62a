/**
 * The build every published package shares: ESM only, Node 20, declarations, source maps,
 * a flat dist/ (worker entry points resolve relative to the built files).
 */
import type { Options } from "tsup";

/**
 * @param entry the build entries; worker entry points are entries of their own.
 * @param dtsEntry the entries with public types (default: all of `entry`).
 */
export function packageBuild(entry: Options["entry"] = ["src/index.ts"], dtsEntry?: Record<string, string>): Options {
  return {
    entry,
    format: ["esm"],
    target: "node20",
    dts: dtsEntry === undefined ? true : { entry: dtsEntry },
    sourcemap: true,
    clean: true,
  };
}
