/**
 * Callback options: how a handler decides, on each emission, whether and how often to call
 * its callback. Validated once, at registration.
 */

import { InvalidArgumentError } from "./errors.js";
import { checkOptions } from "./validate.js";

/**
 * Options accepted wherever a callback is registered (`emitter.on`, `subscriber(cb, opts)`).
 *
 * On each emission a handler: counts the emission; skips unless it is the `every`-th one it
 * has seen; skips unless `when()` is true; skips once `maxCalls` calls were made; then calls
 * the callback `repeat` times (one call towards `maxCalls`).
 *
 * @example
 * ```ts
 * scheduler.onFutureResult(resubmit, { name: "resubmit", maxCalls: 3, every: 2 });
 * ```
 */
export interface CallbackOptions {
  /** Shown in renderings; `off(name)` removes the handler. Defaults to the function's name. */
  name?: string | undefined;
  /** Called lazily, only on emissions that pass `every`; the callback runs only when it is true. */
  when?: (() => boolean) | undefined;
  /** The most times the callback may be called (a `repeat` burst counts once). Integer >= 1 or `Infinity`. */
  maxCalls?: number | undefined;
  /** How many times to call the callback per accepted emission. Integer >= 1. @default 1 */
  repeat?: number | undefined;
  /** Call only on every n-th emission this handler sees (the n-th, 2n-th, ...). @default 1 */
  every?: number | undefined;
  /** Hide the handler from renderings (for plumbing that users did not register). */
  hidden?: boolean | undefined;
  /** Unsubscribes the handler when aborted; an already aborted signal registers nothing. */
  signal?: AbortSignal | undefined;
}

/** Options after validation, with defaults filled in. */
export interface ResolvedOptions {
  name: string;
  when: (() => boolean) | undefined;
  maxCalls: number;
  repeat: number;
  every: number;
  hidden: boolean;
  signal: AbortSignal | undefined;
}

const KNOWN_OPTIONS = ["name", "when", "maxCalls", "repeat", "every", "hidden", "signal"] as const;

function positiveInteger(path: string, value: unknown, fallback: number, allowInfinity = false): number {
  if (value === undefined) return fallback;
  if (allowInfinity && value === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(path, allowInfinity ? "an integer >= 1 or Infinity" : "an integer >= 1", value);
  }
  return value;
}

/**
 * Validates callback options and fills in defaults.
 *
 * @example
 * ```ts
 * resolveOptions(cb, { repeat: 2 }).repeat; // 2
 * resolveOptions(cb, { every: 0 }); // throws InvalidArgumentError
 * ```
 */
export function resolveOptions(
  callback: (...args: never[]) => unknown,
  options: CallbackOptions | undefined,
): ResolvedOptions {
  if (typeof callback !== "function") {
    throw new InvalidArgumentError("callback", "a function", callback);
  }
  if (options === undefined) {
    return {
      name: callback.name || "anonymous",
      when: undefined,
      maxCalls: Number.POSITIVE_INFINITY,
      repeat: 1,
      every: 1,
      hidden: false,
      signal: undefined,
    };
  }
  checkOptions("options", options, KNOWN_OPTIONS);
  const { name, when, hidden, signal } = options;
  if (name !== undefined && (typeof name !== "string" || name.length === 0)) {
    throw new InvalidArgumentError("options.name", "a non-empty string", name);
  }
  if (when !== undefined && typeof when !== "function") {
    throw new InvalidArgumentError("options.when", "a function returning a boolean", when);
  }
  if (hidden !== undefined && typeof hidden !== "boolean") {
    throw new InvalidArgumentError("options.hidden", "a boolean", hidden);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError("options.signal", "an AbortSignal", signal);
  }
  return {
    name: name ?? (callback.name || "anonymous"),
    when,
    maxCalls: positiveInteger("options.maxCalls", options.maxCalls, Number.POSITIVE_INFINITY, true),
    repeat: positiveInteger("options.repeat", options.repeat, 1),
    every: positiveInteger("options.every", options.every, 1),
    hidden: hidden ?? false,
    signal,
  };
}
