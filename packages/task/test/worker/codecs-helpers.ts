/** The wire codecs and the errors they raise, for the codec tests. */
import { InvalidArgumentError } from "@amltk/events";
import { expect } from "vitest";

export * from "../../src/worker/index.js";

/** Matches an InvalidArgumentError about `argument`. */
export const InvalidArgumentErrorFor = (argument: string): unknown =>
  expect.objectContaining({ name: InvalidArgumentError.name, argument });
