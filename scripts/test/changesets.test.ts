/**
 * What `changeset version` would release: every first release is 0.1.0, and a minor release
 * of the core does not force a major release on the executors, which peer-depend on it.
 * Runs changesets in a temp copy of the repository; no network.
 */
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyRepo, repoRoot, workspacePackages } from "./repo-copy.js";

const changeset = join(repoRoot, "node_modules", ".bin", "changeset");

function version(dir: string): void {
  execFileSync(changeset, ["version"], { cwd: dir, stdio: "pipe", timeout: 60_000 });
}

function versions(dir: string): Record<string, string> {
  return Object.fromEntries(workspacePackages(dir).filter((p) => !p.private).map((p) => [p.name, p.version]));
}

describe("changeset version", () => {
  let dir: string;
  beforeAll(() => {
    dir = copyRepo("amltk-changesets-");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("releases every published package as 0.1.0 the first time", () => {
    const before = versions(dir);
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(["@amltk/scheduler", "@amltk/executor-threads", "@amltk/executor-processes"]),
    );
    version(dir);
    const after = versions(dir);
    expect(after).toEqual(Object.fromEntries(Object.keys(before).map((name) => [name, "0.1.0"])));
  });

  it("keeps the executors below 1.0.0 when only @amltk/scheduler gets a minor release", () => {
    // Runs on the copy the previous test versioned: everything is at 0.1.0, no changesets left.
    expect(versions(dir)["@amltk/scheduler"]).toBe("0.1.0");
    writeFileSync(join(dir, ".changeset", "scheduler-minor.md"), '---\n"@amltk/scheduler": minor\n---\n\nA feature.\n');
    version(dir);
    const after = versions(dir);
    expect(after["@amltk/scheduler"]).toBe("0.2.0");
    expect(after["@amltk/executor-threads"]).toBe("0.1.0");
    expect(after["@amltk/executor-processes"]).toBe("0.1.0");
  });
});
