/**
 * Options of `scheduler.run()` and their validation: every bad value fails with a message
 * naming the option, what was given and what is allowed.
 */

import { InvalidArgumentError, checkOptions } from "@amltk/events";
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
  timeout?: number | undefined;
  /** End the run (`ExitCode.EXHAUSTED`) when it is out of work. @default true */
  endOnEmpty?: boolean | undefined;
  /**
   * When the run ends, let submitted calls complete (`true`) or cancel them, terminating
   * running ones where the executor can (`false`). @default true
   */
  wait?: boolean | undefined;
  /** What an error from a call or a callback does. @default "raise" */
  onException?: ExceptionPolicy | undefined;
  /** What a call cancelled during the run does. @default "raise" */
  onCancelled?: ExceptionAction | undefined;
  /** Draw the scheduler live on the terminal (only when stdout is a TTY). @default false */
  display?: boolean | undefined;
  /** Aborting it stops the run (`ExitCode.STOPPED`, reason "aborted"). */
  signal?: AbortSignal | undefined;
  /**
   * The bound on what a run waits for once its end is decided, other than calls that are
   * running (with `wait: true` those are waited for, as promised). An async callback still
   * pending this long after the run's calls ended, and (in-process) a module still importing
   * this long after the executor began shutting down, are reported (a process warning
   * `AmltkUnsettledWarning`; the import fails its calls with `ModuleImportTimeoutError`) and
   * no longer waited for, so `run()` resolves and the program can exit by itself.
   * @default 10_000
   */
  endGraceMs?: number | undefined;
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
  readonly endGraceMs: number;
}

const KNOWN = ["timeout", "endOnEmpty", "wait", "onException", "onCancelled", "display", "signal", "endGraceMs"];

/** Default of `RunOptions.endGraceMs`. */
export const END_GRACE_MS = 10_000;

/** The longest delay Node's timers take (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_DELAY_MS = 2 ** 31 - 1;

function boolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new InvalidArgumentError(`options.${name}`, "a boolean", value);
  return value;
}

/** Validates run options and applies defaults. */
export function resolveRunOptions(options: RunOptions | undefined): ResolvedRunOptions {
  checkOptions("options", options as unknown, KNOWN);
  options ??= {};
  const { timeout, signal } = options;
  if (
    timeout !== undefined &&
    (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout < 0 || timeout > MAX_DELAY_MS)
  ) {
    throw new InvalidArgumentError(
      "options.timeout",
      `a number of milliseconds from 0 to ${MAX_DELAY_MS} (about 24.8 days)`,
      timeout,
    );
  }
  const { endGraceMs = END_GRACE_MS } = options;
  if (typeof endGraceMs !== "number" || !Number.isFinite(endGraceMs) || endGraceMs < 0 || endGraceMs > MAX_DELAY_MS) {
    throw new InvalidArgumentError("options.endGraceMs", `a number of milliseconds from 0 to ${MAX_DELAY_MS}`, endGraceMs);
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
    endGraceMs,
  };
}
