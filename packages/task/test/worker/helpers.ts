/**
 * The worker plumbing under test, imported from source, plus a tiny ref builder.
 */
import { functionRef } from "../../src/function-ref.js";

export * from "../../src/worker/index.js";

export const functionRefOf = (module: string, name: string) => functionRef(module, name);
