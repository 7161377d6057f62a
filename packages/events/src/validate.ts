/**
 * Checks shared by every options object in amltk: an options argument must be a plain object
 * (or undefined) with no keys the receiver does not know, so a misspelt option fails loudly
 * instead of being ignored.
 */

import { InvalidArgumentError } from "./errors.js";

/**
 * Throws `InvalidArgumentError` unless `value` is undefined or an object whose keys are all
 * in `known`.
 *
 * @example
 * ```ts
 * checkOptions("options", { maxCall: 1 }, ["maxCalls"]);
 * // InvalidArgumentError: options.maxCall must be one of the known options (maxCalls), got "maxCall".
 * ```
 */
export function checkOptions(
  path: string,
  value: unknown,
  known: readonly string[],
): asserts value is Record<string, unknown> | undefined {
  if (value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(path, "an options object or undefined", value);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new InvalidArgumentError(`${path}.${key}`, `one of the known options (${known.join(", ")})`, key);
    }
  }
}
