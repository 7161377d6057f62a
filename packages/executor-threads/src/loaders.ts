/**
 * Making `tsx` reach worker threads. On Node 20 and 21, module hooks registered in the main
 * thread (which is how `tsx` and `node --import tsx` load TypeScript) do not apply to worker
 * threads, so a worker could not import a `.ts` work module. When the inherited `execArgv`
 * shows tsx, the worker registers tsx's ESM hooks for itself through tsx's public API.
 * Child processes need none of this: they run the `--import` options themselves.
 */

import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const TSX_LOADER = /\/tsx\/dist\/loader\.mjs$/;

/** The URL of tsx's ESM API module if the program runs under tsx, else undefined. */
function tsxApi(execArgv: readonly string[]): string | undefined {
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    const value = arg === "--import" ? execArgv[i + 1] : arg.startsWith("--import=") ? arg.slice(9) : undefined;
    if (value === undefined) continue;
    if (TSX_LOADER.test(value)) return new URL("./esm/api/index.mjs", value).href;
    if (value === "tsx" || value === "tsx/esm") {
      try {
        const manifest = createRequire(join(process.cwd(), "noop.js")).resolve("tsx/package.json");
        return pathToFileURL(join(manifest, "..", "dist", "esm", "api", "index.mjs")).href;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Registers tsx's hooks in this worker thread when the program runs under tsx on a Node
 * version whose workers do not inherit hooks. Never throws: without it, `.ts` modules fail
 * to import with Node's own clear error.
 */
export async function inheritTypeScriptLoader(execArgv: readonly string[] = process.execArgv): Promise<void> {
  const major = Number(process.versions.node.split(".")[0]);
  if (major >= 22) return;
  const api = tsxApi(execArgv);
  if (api === undefined) return;
  try {
    const { register } = (await import(api)) as { register?: () => unknown };
    register?.();
  } catch {
    // tsx is not importable from here; the work module's import reports the problem.
  }
}
