/**
 * Copies the repository's tracked and new (not ignored) files to a temp directory, so release
 * tests can run `changeset version` or `pnpm pack` without touching the working tree.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The repository root (this file is scripts/test/repo-copy.ts). */
export const repoRoot = resolve(import.meta.dirname, "../..");

/**
 * A copy of the working tree (tracked plus untracked, not ignored files) in a new temp
 * directory, with the root `node_modules` linked in so the repo's tools run there.
 *
 * @example
 * ```ts
 * const dir = copyRepo("amltk-changesets-");
 * ```
 */
export function copyRepo(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
    encoding: "utf8",
  })
    .split("\0")
    .filter((file) => file !== "" && existsSync(join(repoRoot, file)));
  for (const file of files) cpSync(join(repoRoot, file), join(dir, file), { recursive: false });
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** A workspace package as the release tests see it. */
export interface WorkspacePackage {
  readonly dir: string;
  readonly name: string;
  readonly version: string;
  readonly private: boolean;
}

/**
 * The packages under `packages/` of the repository at `root`.
 *
 * @example
 * ```ts
 * const published = workspacePackages(repoRoot).filter((p) => !p.private);
 * ```
 */
export function workspacePackages(root: string): WorkspacePackage[] {
  return readdirSync(join(root, "packages"))
    .filter((dir) => existsSync(join(root, "packages", dir, "package.json")))
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"));
      return { dir, name: pkg.name, version: pkg.version, private: pkg.private === true };
    });
}
