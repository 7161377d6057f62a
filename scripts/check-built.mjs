#!/usr/bin/env node
// prepack: refuses to pack a package whose build output is missing, so a tarball never ships
// without dist/. Checks every file the package.json's entry points name (main, types, exports).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.cwd();
const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const files = new Set();
const collect = (value) => {
  if (typeof value === "string") {
    if (value.startsWith("./dist/") || value.startsWith("dist/")) files.add(value);
  } else if (value !== null && typeof value === "object") {
    for (const each of Object.values(value)) collect(each);
  }
};
collect(manifest.main);
collect(manifest.types);
collect(manifest.exports);
collect(manifest.bin);
const missing = [...files].filter((file) => !existsSync(join(dir, file)));
if (missing.length > 0) {
  console.error(`${manifest.name}: not built (missing ${missing.join(", ")}); run pnpm build first.`);
  process.exit(1);
}
