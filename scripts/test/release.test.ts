/**
 * What a release would ship: every first release is 0.1.0 (no executor jumps to 1.0.0 because
 * its peer dependency on the scheduler moved), a later minor core release does not force a
 * major on the executors, and a package that was not built cannot be packed.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const changeset = join(root, "node_modules/.bin/changeset");
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the tracked files (and the current working copy of each), with node_modules linked. */
function copyRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), "amltk-release-"));
  temps.push(dir);
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: root, encoding: "utf8" }).split("\n");
  for (const file of files.filter((f) => f !== "")) {
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    try {
      cpSync(join(root, file), join(dir, file));
    } catch {
      // Deleted in the working copy but still tracked.
    }
  }
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: dir });
  execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "copy", "--allow-empty"], { cwd: dir });
  return dir;
}

type Release = { name: string; type: string; newVersion: string };

function status(dir: string): Release[] {
  execFileSync(changeset, ["status", "--output=status.json"], { cwd: dir, stdio: "pipe" });
  return (JSON.parse(readFileSync(join(dir, "status.json"), "utf8")) as { releases: Release[] }).releases;
}

const published = ["events", "task", "scheduler", "executor-kit", "executor-threads", "executor-processes", "plugins-limiter", "monitor"].map(
  (name) => `@amltk/${name}`,
);

describe("changesets", () => {
  it("releases every published package first as 0.1.0, and a minor core release later forces no major", () => {
    const dir = copyRepo();
    const first = status(dir);
    for (const name of published) expect(first.find((r) => r.name === name)?.newVersion, name).toBe("0.1.0");

    execFileSync(changeset, ["version"], { cwd: dir, stdio: "pipe" });
    writeFileSync(join(dir, ".changeset/core-minor.md"), '---\n"@amltk/scheduler": minor\n---\n\nA new scheduler feature.\n');
    const second = status(dir);
    expect(second.find((r) => r.name === "@amltk/scheduler")?.newVersion).toBe("0.2.0");
    for (const release of second) expect(release.type, release.name).not.toBe("major");
  });
});

describe("prepack", () => {
  it("refuses to pack a package whose dist is missing, and names the fix", () => {
    const dir = mkdtempSync(join(tmpdir(), "amltk-prepack-"));
    temps.push(dir);
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "@amltk/unbuilt", exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } } }),
    );
    const check = join(root, "scripts/check-built.mjs");
    const unbuilt = spawnSync(process.execPath, [check], { cwd: dir, encoding: "utf8" });
    expect(unbuilt.status).toBe(1);
    expect(unbuilt.stderr).toContain("run pnpm build first");
    mkdirSync(join(dir, "dist"));
    writeFileSync(join(dir, "dist/index.js"), "");
    writeFileSync(join(dir, "dist/index.d.ts"), "");
    expect(spawnSync(process.execPath, [check], { cwd: dir }).status).toBe(0);
  });

  it("is the prepack script of every published package", () => {
    for (const name of published) {
      const manifest = JSON.parse(readFileSync(join(root, "packages", name.slice("@amltk/".length), "package.json"), "utf8"));
      expect(manifest.scripts.prepack, name).toBe("node ../../scripts/check-built.mjs");
    }
  });
});
