/**
 * The "release" vitest project: tests of what a release ships (changesets versions, packed
 * tarballs installed into a fresh project), run by the root `pnpm test` like every package.
 */
import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "release",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
