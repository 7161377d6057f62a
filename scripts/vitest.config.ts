import { defineProject } from "vitest/config";

// Tests of the release tooling: changesets versions, the prepack check.
export default defineProject({ test: { name: "release", include: ["test/**/*.test.ts"], testTimeout: 120_000 } });
