/**
 * Behaviour specific to worker threads: output is not lost and the program exits by
 * itself, options are validated, and a TypeScript work module runs under tsx.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@amltk/events";
import { threads } from "@amltk/executor-threads";
import { FunctionRefRequiredError } from "@amltk/task/worker";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");
const SLOW = 20_000;

describe("threads", () => {
  it("forwards every line a worker wrote before run() resolves, at shutdown and on recycling", () => {
    const out = spawnSync(process.execPath, [fixture("big-output-main.mjs")], {
      cwd: packageDir,
      encoding: "utf8",
      timeout: SLOW * 2,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(out.stderr).toContain("main done: exhausted");
    const lines = out.stdout.split("\n").filter((line) => line !== "");
    for (const tag of ["a", "b"]) {
      const numbers = lines.filter((line) => line.startsWith(`${tag} `)).map((line) => Number(line.split(" ")[1]));
      expect(numbers).toHaveLength(4096);
      expect(new Set(numbers).size).toBe(4096);
    }
    expect(lines.every((line) => line.length === 1000 + line.split(" ").slice(0, 2).join(" ").length + 1)).toBe(true);
  }, SLOW * 2);

  it("lets the workers' stdout and stderr through, and the program exits by itself", () => {
    const out = spawnSync(process.execPath, [fixture("log-main.mjs")], { cwd: packageDir, encoding: "utf8", timeout: SLOW });
    expect(out.signal).toBeNull();
    expect(out.status).toBe(0);
    expect(out.stdout).toContain("hello from the worker");
    expect(out.stderr).toContain("hello from the worker");
    expect(out.stdout).toContain("main done: exhausted");
  }, SLOW);

  it("validates its options", () => {
    expect(() => threads({ maxWorkers: 0 })).toThrow(/options.maxWorkers/);
    expect(() => threads({ maxWorkers: 2, minWorkers: 3 })).toThrow(/options.minWorkers/);
    expect(() => threads({ maxTasksPerWorker: 1.5 })).toThrow(/options.maxTasksPerWorker/);
    expect(threads().options).toMatchObject({ minWorkers: 0, idleTimeout: 30_000, maxTasksPerWorker: Infinity, cancelGraceMs: 1000 });
  });

  it("rejects a misspelt option instead of ignoring it", () => {
    const typo = () => threads({ maxWorker: 2 } as never);
    expect(typo).toThrow(InvalidArgumentError);
    expect(typo).toThrow(/options\.maxWorker .*maxWorkers/);
  });

  it("refuses a plain function synchronously at submit", async () => {
    const executor = threads({ maxWorkers: 1 });
    await executor.start();
    try {
      const options = { signal: new AbortController().signal, cancelRequested: false, onCancel() {}, onRunning() {}, onMessage() {}, onRequest: () => Promise.resolve() };
      expect(() => executor.submit({ id: 1, fn: (x: number) => x, args: [1], attempt: 1 }, options)).toThrow(FunctionRefRequiredError);
    } finally {
      await executor.shutdown({ wait: true });
    }
    expect(executor.liveWorkers).toBe(0);
  }, SLOW);

  it("runs a TypeScript work module when the program runs under tsx", () => {
    const out = spawnSync(process.execPath, [tsxCli, "--tsconfig", fixture("tsconfig.json"), fixture("tsx-main.ts")], { cwd: packageDir, encoding: "utf8", timeout: SLOW * 2 });
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout.trim().split("\n").at(-1)!)).toEqual({ code: "exhausted", results: [42], rebuilt: true });
  }, SLOW * 2);
});

describe("threads that cannot start", () => {
  it("fails the calls with the start-up error instead of hanging or respawning forever", async () => {
    const { Scheduler } = await import("@amltk/scheduler");
    const { work } = await import("@amltk/testkit");
    const { WorkerCrashedError } = await import("@amltk/executor-threads");
    const executor = threads({ maxWorkers: 2, execArgv: ["--import", "data:text/javascript,throw new Error('preload fails')"] });
    const scheduler = new Scheduler({ executor });
    const errors: unknown[] = [];
    scheduler.onStart(() => {
      for (let i = 0; i < 6; i++) scheduler.submit(work.increment, i);
    });
    scheduler.onFutureException((_f, error) => errors.push(error));
    await scheduler.run({ onException: "continue", timeout: SLOW });
    expect(errors).toHaveLength(6);
    expect(errors.every((e) => e instanceof WorkerCrashedError && /preload fails/.test(e.message))).toBe(true);
    expect(executor.liveWorkers).toBe(0);
  }, SLOW);
});
