/**
 * The examples as a user runs them: `node dist/<example>.js` and `pnpm demo` (node
 * dist/demo.js) in real child processes, which must finish on their own: in-process (every
 * example), and a few with AMLTK_EXECUTOR=threads and =processes, which must also leave no
 * worker process behind.
 */

import { execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
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
      'AMLTK_EXECUTOR="warp-drive" is not an available executor; available: sequential, threads, processes.',
    );
  });
});

/**
 * The pids of the processes whose environment holds `marker` (`NAME=value`). Forked workers
 * inherit the environment, so this finds them even after their parent is gone. Linux only:
 * elsewhere it finds nothing and only the exit of the example itself is checked.
 */
function processesWith(marker: string): number[] {
  if (process.platform !== "linux") return [];
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, "latin1").split("\0").includes(marker)) found.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/** Examples that exercise a pool: parallel calls, errors across the boundary, cancellation. */
const ON_A_POOL: ReadonlyArray<readonly [file: string, expected: readonly (string | RegExp)[]]> = [
  ["collatz.js", ["run ended: exhausted"]],
  ["limiter.js", ["dropped by the limiter: 2, 3"]],
  ["seed-task.js", [/^best: \d+ \(seed \d\)$/m]],
  ["on-exception-raise.js", ["run() rejected with ValueError: Failed!"]],
  ["stop.js", ["run ended: stopped", "future-cancelled 1, future-done 0"]],
  ["timeout-no-wait.js", ["run ended: timeout; 1 call cancelled, 0 done"]],
  ["training.js", ["epoch 6/6: loss 0.0000 (learning rate 0.375)", "trained: loss 0.0000, learning rates 1.5, 0.75, 0.375, 0.375, 0.375, 0.375"]],
  [
    "demo.js",
    [
      "answers: 12, 6, 3, 10, 5, 16, 8, 4, 2, 1 (run ended: exhausted)",
      /^results: .*\(dropped: 2, 3; run ended: exhausted\)$/m,
    ],
  ],
];

describe.each(["threads", "processes"])("each of a few examples run directly with AMLTK_EXECUTOR=%s", (executor) => {
  test.each(ON_A_POOL)("%s exits 0 on its own and leaves no worker behind", async (file, expected) => {
    assertBuilt(file.slice(0, -3));
    const marker = `AMLTK_EXAMPLES_CLI_RUN=${randomUUID()}`;
    const [name, value] = marker.split("=") as [string, string];
    const { stdout, stderr } = await node(file, { ...process.env, AMLTK_EXECUTOR: executor, [name]: value });
    expect(stderr).toBe("");
    for (const text of expected) {
      if (typeof text === "string") expect(stdout).toContain(text);
      else expect(stdout).toMatch(text);
    }
    if (file === "demo.js") expect(stdout).toContain(`amltk-ts demo (executor: ${executor})`);
    expect(processesWith(marker)).toEqual([]);
  });
});

test.runIf(process.platform === "linux")("the leftover check finds a live process by its marker", async () => {
  const marker = `AMLTK_EXAMPLES_CLI_RUN=${randomUUID()}`;
  const [name, value] = marker.split("=") as [string, string];
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 20_000)"], {
    env: { ...process.env, [name]: value },
    stdio: "ignore",
  });
  try {
    await new Promise((resolve) => child.once("spawn", resolve));
    expect(processesWith(marker)).toEqual([child.pid]);
  } finally {
    child.kill("SIGKILL");
  }
});
