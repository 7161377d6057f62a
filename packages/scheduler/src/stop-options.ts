/**
 * The arguments of `scheduler.stop()`: options, a reason string, or (when `stop` is passed
 * directly as a callback) whatever the event passes, which is ignored.
 */

import { InvalidArgumentError, checkOptions } from "@amltk/events";

/** Options for `scheduler.stop()`. */
export interface StopOptions {
  /** Passed to `stop` callbacks. @default "stop() was called" */
  reason?: string | undefined;
  /** Handled by the run's `onException` policy, like an error from a call. */
  error?: unknown;
}

/**
 * `scheduler.stop`: takes `StopOptions` or a reason, and ignores the arguments of events
 * (futures, tasks) so it can be passed directly as a callback.
 */
export interface StopFunction {
  (options?: StopOptions | string): void;
  (...ignored: unknown[]): void;
}

/**
 * Reads `stop()`'s first argument. A string is the reason; a plain object is `StopOptions`
 * and must have no other keys (so `{ exception }` fails loudly instead of being ignored);
 * anything else (a Future, a Task) is an event argument and ignored.
 */
export function parseStopArgument(value: unknown): { reason: string; error: unknown } {
  const fallback = "stop() was called";
  if (typeof value === "string") return { reason: value, error: undefined };
  if (typeof value !== "object" || value === null) return { reason: fallback, error: undefined };
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return { reason: fallback, error: undefined };
  checkOptions("options", value, ["reason", "error"]);
  const { reason = fallback, error } = value as StopOptions;
  if (typeof reason !== "string") throw new InvalidArgumentError("options.reason", "a string", reason);
  return { reason, error };
}
