/**
 * What a user gets from npm: every published package packed as a tarball (refused when it
 * was not built), installed with npm into a fresh project outside the workspace, and run on
 * the in-process executor, worker threads and child processes; `require()` from CommonJS too.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyRepo, repoRoot, workspacePackages } from "./repo-copy.js";

const published = workspacePackages(repoRoot).filter((p) => !p.private);
const hasNpm = spawnSync("npm", ["--version"], { stdio: "ignore" }).status === 0;

function pack(packageDir: string, destination: string) {
  return spawnSync("pnpm", ["pack", "--pack-destination", destination], {
    cwd: packageDir,
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("pnpm pack of a package that was not built", () => {
  let copy: string;
  beforeAll(() => {
    // The copy holds no dist: build output is git-ignored.
    copy = copyRepo("amltk-unbuilt-");
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it.each(published.map((p) => [p.name, p.dir]))("fails for %s and says to run pnpm build", (_name, dir) => {
    const out = mkdtempSync(join(tmpdir(), "amltk-unbuilt-pack-"));
    try {
      const result = pack(join(copy, "packages", dir), out);
      expect(result.status).not.toBe(0);
      expect(result.stderr + result.stdout).toContain("Run `pnpm build`");
      expect(readdirSync(out)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

const work = `
import { threadId } from "node:worker_threads";
import { taskContext } from "@amltk/scheduler";
export function square(n) {
  const { attempt, signal } = taskContext();
  return { n, square: n * n, pid: process.pid, threadId, attempt, aborted: signal.aborted };
}
`;

const main = `
import { Scheduler, fromModule } from "@amltk/scheduler";
import { threads } from "@amltk/executor-threads";
import { processes } from "@amltk/executor-processes";
import { Limiter } from "@amltk/plugins-limiter";

const work = fromModule(new URL("./work.mjs", import.meta.url));
const executors = {
  "in-process": undefined,
  threads: () => threads({ maxWorkers: 2 }),
  processes: () => processes({ maxWorkers: 2 }),
};
const report = {};
for (const [name, make] of Object.entries(executors)) {
  const scheduler = new Scheduler(make === undefined ? {} : { executor: make() });
  const task = scheduler.task(work.square, { plugins: [new Limiter({ maxCalls: 3 })] });
  const results = [];
  let refused = 0;
  task.on(Limiter.CALL_LIMIT_REACHED, () => refused++);
  scheduler.onStart(() => {
    for (let i = 1; i <= 4; i++) task.submit(i);
  });
  task.onResult((_future, result) => results.push(result));
  const { code } = await scheduler.run({ timeout: 30_000 });
  report[name] = { code, refused, results: results.sort((a, b) => a.n - b.n) };
}
console.log(JSON.stringify({ pid: process.pid, report }));
`;

const cjs = `
const { Scheduler } = require("@amltk/scheduler");
const { threads } = require("@amltk/executor-threads");
console.log(JSON.stringify({ scheduler: typeof Scheduler, threads: typeof threads }));
`;

describe.skipIf(!hasNpm)("the packed packages installed with npm (skipped when npm is not on PATH)", () => {
  let project: string;
  let tarballs: string;

  beforeAll(() => {
    const root = mkdtempSync(join(tmpdir(), "amltk-e2e-"));
    tarballs = join(root, "tarballs");
    project = join(root, "project");
    mkdirSync(tarballs);
    mkdirSync(project);
    for (const p of published) {
      const result = pack(join(repoRoot, "packages", p.dir), tarballs);
      if (result.status !== 0) throw new Error(`pnpm pack of ${p.name} failed:\n${result.stderr}${result.stdout}`);
    }
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "amltk-e2e", private: true, type: "module" }, null, 2),
    );
    writeFileSync(join(project, "work.mjs"), work);
    writeFileSync(join(project, "main.mjs"), main);
    writeFileSync(join(project, "main.cjs"), cjs);
    const files = readdirSync(tarballs).map((file) => join(tarballs, file));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...files], {
      cwd: project,
      stdio: "pipe",
      timeout: 100_000,
    });
  }, 120_000);

  afterAll(() => {
    if (project !== undefined) rmSync(join(project, ".."), { recursive: true, force: true });
  });

  it("packs one tarball per published package, each with dist, LICENSE and README", () => {
    const listed = readdirSync(tarballs);
    expect(listed).toHaveLength(published.length);
    for (const p of published) {
      const installed = join(project, "node_modules", ...p.name.split("/"));
      for (const file of ["dist/index.js", "dist/index.d.ts", "LICENSE", "README.md", "package.json"]) {
        expect(existsSync(join(installed, file)), `${p.name}/${file}`).toBe(true);
      }
    }
  });

  it("runs the same task in-process, on worker threads and on child processes", () => {
    const stdout = execFileSync(process.execPath, ["main.mjs"], { cwd: project, encoding: "utf8", timeout: 60_000 });
    const { pid, report } = JSON.parse(stdout.trim().split("\n").at(-1)!);
    // The work module imports taskContext from @amltk/scheduler, as the task README shows: the
    // context the executor entered (through @amltk/task) must be the one it reads.
    const expected = [1, 2, 3].map((n) => expect.objectContaining({ n, square: n * n, attempt: 1, aborted: false }));
    for (const name of ["in-process", "threads", "processes"]) {
      expect(report[name], name).toEqual({ code: "exhausted", refused: 1, results: expected });
    }
    type Row = { pid: number; threadId: number };
    expect(report["in-process"].results.every((r: Row) => r.pid === pid && r.threadId === 0)).toBe(true);
    expect(report.threads.results.every((r: Row) => r.pid === pid && r.threadId !== 0)).toBe(true);
    expect(report.processes.results.every((r: Row) => r.pid !== pid)).toBe(true);
  }, 60_000);

  it("can be require()d from CommonJS on this Node", () => {
    const stdout = execFileSync(process.execPath, ["main.cjs"], { cwd: project, encoding: "utf8", timeout: 30_000 });
    expect(JSON.parse(stdout.trim())).toEqual({ scheduler: "function", threads: "function" });
  });
});
