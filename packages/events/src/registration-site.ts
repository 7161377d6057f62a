/**
 * Where an unnamed callback was registered, as `file:line`, so renderings can show an arrow
 * function by its place in the source instead of "anonymous". The stack is captured at
 * registration (cheap: V8 formats it only when read) and read only when a rendering asks.
 */

import { fileURLToPath } from "node:url";

// Frames inside this package (the emitter, subscribers) are skipped to reach the caller:
// its dist/ and, where source maps point stacks back to them, its src/.
const OWN_DIRS = ["../src/", "../dist/"].map((dir) => fileURLToPath(new URL(dir, import.meta.url)));

/**
 * The first stack frame of `captured` outside this package, as `path:line` (relative to the
 * working directory when under it), or undefined when the stack says nothing usable.
 *
 * @example
 * ```ts
 * registrationSite(new Error()); // "src/main.ts:12"
 * ```
 */
export function registrationSite(captured: Error): string | undefined {
  const lines = (captured.stack ?? "").split("\n").slice(1);
  for (const line of lines) {
    const match = /\(?((?:file:\/\/)?[^\s()]+):(\d+):\d+\)?\s*$/.exec(line.trim());
    if (match === null) continue;
    let file = match[1]!;
    if (file.startsWith("file://")) file = fileURLToPath(file);
    if (file.startsWith("node:") || OWN_DIRS.some((dir) => file.startsWith(dir))) continue;
    const cwd = `${process.cwd()}/`;
    return `${file.startsWith(cwd) ? file.slice(cwd.length) : file}:${match[2]}`;
  }
  return undefined;
}
