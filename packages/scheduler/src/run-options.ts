/**
 * Options of `scheduler.run()` and their validation: every bad value fails with a message
 * naming the option, what was given and what is allowed.
 */

import { InvalidArgumentError } from "@amltk/events";
import { validateAction, validatePolicy, type ExceptionAction, type ExceptionPolicy } from "./policy.js";

/**
 * Options for `scheduler.run()`. Times are milliseconds.
 *
 * @example
 * ```ts
 * await scheduler.run({ timeout: 60_000, onException: "end", display: true });
 * ```
 */
export interface RunOptions {
  /** End the run (`ExitCode.TIMEOUT`) this long after the `start` callbacks returned. */
  timeout?: number;
  /** End the run (`ExitCode.EXHAUSTED`) when it is out of work. @default true */
  endOnEmpty?: boolean;
  /**
   * When the run ends, let submitted calls complete (`true`) or cancel them, terminating
   * running ones where the executor can (`false`). @default true
   */
  wait?: boolean;
  /** What an error from a call or a callback does. @default "raise" */
  onException?: ExceptionPolicy;
  /** What a call cancelled during the run does. @default "raise" */
  onCancelled?: ExceptionAction;
  /** Draw the scheduler live on the terminal (only when stdout is a TTY). @default false */
  display?: boolean;
  /** Aborting it stops the run (`ExitCode.STOPPED`, reason "aborted"). */
  signal?: AbortSignal;
}

/** `RunOptions` with defaults applied. */
export interface ResolvedRunOptions {
  readonly timeout: number | undefined;
  readonly endOnEmpty: boolean;
  readonly wait: boolean;
  readonly onException: ExceptionPolicy;
  readonly onCancelled: ExceptionAction;
  readonly display: boolean;
  readonly signal: AbortSignal | undefined;
}

const KNOWN = new Set(["timeout", "endOnEmpty", "wait", "onException", "onCancelled", "display", "signal"]);

function boolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new InvalidArgumentError(`options.${name}`, "a boolean", value);
  return value;
}

/** Validates run options and applies defaults. */
export function resolveRunOptions(options: RunOptions | undefined): ResolvedRunOptions {
  if (options === undefined) options = {};
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("options", "an object or undefined", options);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) {
      throw new InvalidArgumentError(`options.${key}`, `one of the known options (${[...KNOWN].join(", ")})`, key);
    }
  }
  const { timeout, signal } = options;
  if (timeout !== undefined && (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout < 0)) {
    throw new InvalidArgumentError("options.timeout", "a finite number of milliseconds >= 0", timeout);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError("options.signal", "an AbortSignal", signal);
  }
  return {
    timeout,
    endOnEmpty: boolean("endOnEmpty", options.endOnEmpty, true),
    wait: boolean("wait", options.wait, true),
    onException:
      options.onException === undefined ? "raise" : validatePolicy("options.onException", options.onException),
    onCancelled:
      options.onCancelled === undefined ? "raise" : validateAction("options.onCancelled", options.onCancelled),
    display: boolean("display", options.display, false),
    signal,
  };
}
