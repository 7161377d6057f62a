/**
 * Vitest settings for the examples. The tests import the BUILT examples (dist/), because the
 * examples name their compute functions by module URL (`fromModule`) and only dist/work.js
 * exists at run time. Built files, ours and the workspace packages' alike, are left to Node's
 * own loader: they run exactly as under `node dist/<example>.js`, and each module (the
 * scheduler's classes, work.js's ValueError) has one instance, so `instanceof` holds.
 */
import { defineProject, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: "examples",
      server: { deps: { external: [/\/apps\/examples\/dist\//, /\/packages\/[^/]+\/dist\//] } },
    },
  }),
);
