/**
 * The vitest settings every package and app shares: type tests (`*.test-d.ts`) run with
 * the unit tests, and a hanging test fails instead of stalling CI.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
