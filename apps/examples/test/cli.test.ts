/**
 * The examples as a user runs them: `node dist/<example>.js` and `pnpm demo` (node
 * dist/demo.js) in real child processes, which must finish on their own.
 */

import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { EXAMPLES, SUPPORT_MODULES, assertBuilt, packagePath } from "./helpers.js";

const run = promisify(execFile);

/** Runs `node dist/<file>` from the package root; the timeout kills a process that hangs. */
function node(file: string, env: NodeJS.ProcessEnv = process.env) {
  return run(process.execPath, [`dist/${file}`], { cwd: packagePath(""), env, timeout: 15_000 });
}

describe("node dist/demo.js", () => {
  test("exits 0 by itself, printing both examples' results and renderings", async () => {
    assertBuilt("demo");
    const { stdout } = await node("demo.js");
    expect(stdout).toContain("answers: 12, 6, 3, 10, 5, 16, 8, 4, 2, 1 (run ended: exhausted)");
    expect(stdout).toContain("results: 0, 1, 4, 5, 6, 7, 8, 9 (dropped: 2, 3; run ended: exhausted)");
    // Not a TTY here, so the final renderings are printed instead of the live view.
    expect(stdout).toContain("Task collatz");
    expect(stdout).toContain("@concurrent-limit-reached 2");
    expect(stdout).not.toContain("\x1b[");
  });
});

describe("each example run directly", () => {
  test("every source file is either an example listed here or a support module", () => {
    const sources = readdirSync(packagePath("src"))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => f.slice(0, -3));
    expect(sources.sort()).toEqual([...EXAMPLES, ...SUPPORT_MODULES].sort());
  });

  test("runs, prints, and exits 0 on its own", async () => {
    // One at a time: the machine is shared, and a stuck example is easier to spot alone.
    for (const name of EXAMPLES) {
      assertBuilt(name);
      const { stdout } = await node(`${name}.js`);
      expect(stdout.trim(), name).not.toBe("");
    }
  }, 60_000);

  test("an unknown AMLTK_EXECUTOR fails with a message naming the available executors", async () => {
    const failure = await node("collatz.js", { ...process.env, AMLTK_EXECUTOR: "warp-drive" }).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain(
      'AMLTK_EXECUTOR="warp-drive" is not an available executor; available: sequential.',
    );
  });
});
