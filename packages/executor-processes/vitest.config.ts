import { defineProject, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

// Tests import the package by name: workers load the built files in dist/.
export default mergeConfig(shared, defineProject({ test: { name: "executor-processes" } }));
