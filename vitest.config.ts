/**
 * The root test run: every package and app as a vitest project, one summary at the end.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["packages/*", "apps/examples", "scripts"],
    reporters: ["default", "./scripts/summary-reporter.ts"],
  },
});
