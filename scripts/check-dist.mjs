#!/usr/bin/env node
/**
 * The `prepack` check of every published package: refuses to pack a package whose built
 * files are missing, so `pnpm pack`/`pnpm publish` never ship a tarball without `dist`.
 * A check rather than a build: packing stays fast, and a stale or missing build is reported
 * instead of silently rebuilt with whatever the working tree holds.
 *
 * @example
 * ```json
 * { "scripts": { "prepack": "node ../../scripts/check-dist.mjs" } }
 * ```
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

const dir = process.cwd();
const pkg = JSON.parse(readFileSync(resolve(dir, "package.json"), "utf8"));

/** Every file path named by `main`, `types` and `exports` (any depth of conditions). */
function targets(value, out = new Set()) {
  if (typeof value === "string") out.add(value);
  else if (value !== null && typeof value === "object") for (const v of Object.values(value)) targets(v, out);
  return out;
}

const named = targets([pkg.main, pkg.types, pkg.exports]);
named.delete("./package.json");
const missing = [...named].filter((file) => !existsSync(resolve(dir, file)));
if (named.size === 0) {
  process.stderr.write(`${pkg.name}: package.json names no built files (main, types, exports); refusing to pack.\n`);
  process.exit(1);
}
if (missing.length > 0) {
  process.stderr.write(
    `${pkg.name} is not built: ${missing.join(", ")} missing. Run \`pnpm build\` at the repository root ` +
      `(or \`pnpm turbo run build --filter=${pkg.name}\`) before packing.\n`,
  );
  process.exit(1);
}
