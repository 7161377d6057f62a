/**
 * Behaviour specific to child processes: output forwarding, crash reports with stderr,
 * children dying with their parent, no respawn storm when children cannot start, and a
 * TypeScript work module under tsx. Real processes throughout.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@amltk/events";
import { Scheduler, fromModule } from "@amltk/scheduler";
import { processes, WorkerCrashedError } from "@amltk/executor-processes";
import { work } from "@amltk/testkit";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");
const SLOW = 20_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // An orphan that exited stays a zombie until init reaps it; it no longer runs.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

async function until(check: () => boolean, ms = SLOW): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe("processes", () => {
  it("rejects a misspelt option instead of ignoring it", () => {
    const typo = () => processes({ maxWorker: 2 } as never);
    expect(typo).toThrow(InvalidArgumentError);
    expect(typo).toThrow(/options\.maxWorker .*maxWorkers/);
    expect(processes({ maxWorkers: 2, prefetch: 0, prefixOutput: false }).options).toMatchObject({ maxWorkers: 2, prefetch: 0 });
  });

  it("leaves Ctrl-C to the parent: a run stopped by its signal lets the running call finish", async () => {
    // Its own process group, as a program started from a terminal has.
    const child = spawn(process.execPath, [fixture("sigint-main.mjs")], { cwd: packageDir, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    const started = new Promise<void>((resolve) =>
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("started")) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    await started;
    process.kill(-child.pid!, "SIGINT");
    expect(await exited).toBe(0);
    expect(stdout).toContain("exit stopped; result finished");
  }, SLOW);

  it("fails only the call whose argument cannot be read or is nested too deep; the rest run", async () => {
    const executor = processes({ maxWorkers: 1, prefixOutput: false });
    const scheduler = new Scheduler({ executor });
    const hostile = Object.defineProperty({}, "secret", {
      enumerable: true,
      get() {
        throw new Error("getter refuses");
      },
    });
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const out: Array<{ ok: boolean; value?: unknown; error?: unknown }> = [];
    scheduler.onStart(() => {
      for (const arg of [hostile, 1, deep, 2]) {
        void Promise.resolve(scheduler.submit(work.echo, arg)).then(
          (value) => out.push({ ok: true, value }),
          (error: unknown) => out.push({ ok: false, error }),
        );
      }
    });
    await scheduler.run({ onException: "continue", timeout: SLOW });
    expect(out.filter((o) => o.ok).map((o) => o.value)).toEqual([1, 2]);
    const errors = out.filter((o) => !o.ok).map((o) => o.error as Error);
    expect(errors.map((e) => e.name)).toEqual(["UnsendableValueError", "UnsendableValueError"]);
    expect(executor.describe()).toMatchObject({ crashed: 0 });
  }, SLOW);

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

  it("forwards the children's stdout and stderr, prefixed, and the program exits by itself", () => {
    const out = spawnSync(process.execPath, [fixture("log-main.mjs")], { cwd: packageDir, encoding: "utf8", timeout: SLOW });
    expect(out.signal).toBeNull();
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^\[worker \d+\] hello from the worker$/m);
    expect(out.stderr).toMatch(/^\[worker \d+\] hello from the worker$/m);
    expect(out.stdout).toContain("main done: exhausted");
  }, SLOW);

  it("reports a crash with the exit code and the last lines of the child's stderr", async () => {
    const executor = processes({ maxWorkers: 1, prefixOutput: false });
    const scheduler = new Scheduler({ executor });
    let error: unknown;
    scheduler.onStart(async () => {
      try {
        await scheduler.submit(work.crashWithStderr, "stderr shows this");
      } catch (e) {
        error = e;
      }
    });
    await scheduler.run({ onException: "continue", timeout: SLOW });
    expect(error).toBeInstanceOf(WorkerCrashedError);
    const crash = error as WorkerCrashedError;
    expect(crash.exitCode).toBe(1);
    expect(crash.signal).toBeNull();
    expect(crash.stderr).toMatch(/stderr shows this/);
    expect(crash.message).toMatch(/Last lines of its stderr/);
    expect(executor.liveWorkers).toBe(0);
  }, SLOW);

  it("children exit when their parent is killed, even one spinning in a tight loop", async () => {
    const parent = spawn(process.execPath, [fixture("orphan-main.mjs")], { cwd: packageDir, stdio: ["ignore", "pipe", "inherit"] });
    let pids: number[] = [];
    let buffer = "";
    parent.stdout.setEncoding("utf8");
    parent.stdout.on("data", (chunk: string) => {
      buffer += chunk;
      const line = buffer.split("\n").find((l) => l.startsWith("{"));
      if (line !== undefined && pids.length === 0) pids = (JSON.parse(line) as { pids: number[] }).pids;
    });
    try {
      expect(await until(() => pids.length === 2)).toBe(true);
      expect(pids.every(alive)).toBe(true);
      parent.kill("SIGKILL");
      expect(await until(() => !pids.some(alive))).toBe(true);
    } finally {
      parent.kill("SIGKILL");
      for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGKILL");
    }
  }, SLOW * 2);

  it("does not respawn forever when children fail to start; queued calls fail with the crash", async () => {
    const executor = processes({ maxWorkers: 2, execArgv: ["--require", "/nonexistent/amltk-preload.cjs"], prefixOutput: false });
    const scheduler = new Scheduler({ executor });
    const errors: unknown[] = [];
    scheduler.onStart(() => {
      for (let i = 0; i < 10; i++) scheduler.submit(work.increment, i);
    });
    scheduler.onFutureException((_f, error) => errors.push(error));
    await scheduler.run({ onException: "continue", timeout: SLOW });
    expect(errors).toHaveLength(10);
    expect(errors.every((e) => e instanceof WorkerCrashedError)).toBe(true);
    expect((errors[0] as WorkerCrashedError).stderr).toMatch(/amltk-preload/);
    expect(executor.describe().spawned).toBeLessThanOrEqual(4);
    expect(executor.liveWorkers).toBe(0);
  }, SLOW);

  it("runs a TypeScript work module when the program runs under tsx", () => {
    const out = spawnSync(process.execPath, [tsxCli, "--tsconfig", fixture("tsconfig.json"), fixture("tsx-main.ts")], { cwd: packageDir, encoding: "utf8", timeout: SLOW * 2 });
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout.trim().split("\n").at(-1)!)).toEqual({ code: "exhausted", results: [42], rebuilt: true });
  }, SLOW * 2);

  it("puts calls queued in a child that dies back in the queue; they run elsewhere", async () => {
    const executor = processes({ maxWorkers: 1, prefetch: 2, prefixOutput: false });
    const scheduler = new Scheduler({ executor });
    const out: unknown[] = [];
    scheduler.onStart(async () => {
      // Calls are prefetched only behind calls known to be short: teach the pool that first.
      for (let i = 0; i < 3; i++) await scheduler.submit(work.exitIf, 0);
      const crash = scheduler.submit(work.exitIf, 3);
      const a = scheduler.submit(work.increment, 1);
      const b = scheduler.submit(work.increment, 2);
      void Promise.allSettled([crash, a, b]).then((all) => out.push(...all.map((r) => (r.status === "fulfilled" ? r.value : r.reason))));
    });
    await scheduler.run({ onException: "continue", timeout: SLOW });
    expect(out[0]).toBeInstanceOf(WorkerCrashedError);
    expect(out.slice(1)).toEqual([2, 3]);
    expect(executor.liveWorkers).toBe(0);
  }, SLOW);

  it("does not lose a large answer sent just before the next, prefetched call kills the child", async () => {
    const executor = processes({ maxWorkers: 1, prefetch: 4, prefixOutput: false });
    const scheduler = new Scheduler({ executor });
    const out: unknown[] = [];
    scheduler.onStart(() => {
      const large = scheduler.submit(work.echo, "x".repeat(4_000_000)).then((v) => (v as string).length);
      const crash = scheduler.submit(work.exitNow, 3);
      const after = scheduler.submit(work.increment, 2);
      void Promise.allSettled([large, crash, after]).then((all) =>
        out.push(...all.map((r) => (r.status === "fulfilled" ? r.value : r.reason))),
      );
    });
    await scheduler.run({ onException: "continue", timeout: SLOW });
    // The crash is blamed on the call that crashed, and that call runs once: two children.
    expect(out[0]).toBe(4_000_000);
    expect(out[1]).toBeInstanceOf(WorkerCrashedError);
    expect(out[2]).toBe(3);
    expect(executor.describe().spawned).toBe(2);
    expect(executor.liveWorkers).toBe(0);
  }, SLOW);

  it("does not reuse a child that survived SIGTERM after its call was cancelled", async () => {
    const stubborn = fromModule<{ stubborn(ms: number): string; sleepPid(ms: number): Promise<number> }>(
      new URL("./fixtures/stubborn.mjs", import.meta.url),
    );
    const executor = processes({ maxWorkers: 1, cancelGraceMs: 200, prefixOutput: false });
    const scheduler = new Scheduler({ executor });
    let firstPid = 0;
    let laterPids: number[] = [];
    let maxLive = 0;
    const watch = setInterval(() => (maxLive = Math.max(maxLive, executor.liveWorkers)), 10);
    scheduler.onStart(async () => {
      firstPid = await scheduler.submit(stubborn.sleepPid, 1);
      // Returns between the SIGTERM (at about 250 ms) and the SIGKILL it would get at about 450 ms.
      const f = scheduler.submit(stubborn.stubborn, 350);
      // Cancelled once it runs; the later calls go out once the stubborn child is gone.
      expect(await until(() => f.state === "running")).toBe(true);
      f.cancel();
      expect(await until(() => executor.liveWorkers === 0)).toBe(true);
      laterPids = await Promise.all([0, 1, 2].map(() => scheduler.submit(stubborn.sleepPid, 50)));
    });
    await scheduler.run({ onCancelled: "continue", timeout: SLOW });
    clearInterval(watch);
    // The stubborn child was let go, not put back to work: a new child ran the later calls.
    expect(laterPids.every((pid) => pid !== firstPid)).toBe(true);
    expect(maxLive).toBe(1);
    expect(executor.liveWorkers).toBe(0);
  }, SLOW);

  it("gives a queued call to a child that became idle instead of leaving it behind a long call", async () => {
    const executor = processes({ maxWorkers: 2, prefetch: 1, prefixOutput: false });
    const scheduler = new Scheduler({ executor });
    const order: unknown[] = [];
    scheduler.onStart(() => {
      scheduler.submit(work.sleep, 4000, "long");
      scheduler.submit(work.sleep, 200, "short");
      // Both children are busy: this call waits in the first child's queue, behind "long".
      scheduler.submit(work.increment, 1);
      // Not prefetched behind calls of unknown length: it waits here, for the first free child.
      expect(executor.describe().prefetched).toBe(0);
    });
    scheduler.onFutureResult((_f, result) => order.push(result));
    await scheduler.run({ timeout: SLOW });
    expect(order).toEqual(["short", 2, "long"]);
  }, SLOW);
});
