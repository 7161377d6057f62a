/**
 * The exception policy of a run: what an error from a call or a callback does, as an action
 * for every error or an ordered map from error classes to actions.
 */

import { InvalidArgumentError } from "@amltk/events";
import { errorClassNames } from "@amltk/task/worker";

/** `"raise"` rejects `run()`, `"end"` ends it with `ExitCode.EXCEPTION`, `"continue"` goes on. */
export type ExceptionAction = "raise" | "end" | "continue";

/** A class of errors, usable as a key of an `onException` map. */
export type ErrorClass = abstract new (...args: any[]) => Error;

/**
 * One action for every error, or an ordered map: the first key the error matches decides; an
 * error matching no key raises. An error matches a key when it is an `instanceof` it, or
 * when the key's `name` is a class name in the error's prototype chain (as recorded where it
 * was thrown, see `errorClassNames`): a class defined in a worker's module that could not be
 * rebuilt on this side still matches a same-named key, so a policy means the same on every
 * executor (DESIGN §4.4).
 *
 * @example
 * ```ts
 * const onException = new Map<ErrorClass, ExceptionAction>([
 *   [RangeError, "continue"],
 *   [Error, "end"],
 * ]);
 * ```
 */
export type ExceptionPolicy = ExceptionAction | ReadonlyMap<ErrorClass, ExceptionAction>;

const ACTIONS: readonly string[] = ["raise", "end", "continue"];
const ACTIONS_TEXT = '"raise", "end" or "continue"';

/** Validates an action. */
export function validateAction(path: string, value: unknown): ExceptionAction {
  if (typeof value !== "string" || !ACTIONS.includes(value)) {
    throw new InvalidArgumentError(path, ACTIONS_TEXT, value);
  }
  return value as ExceptionAction;
}

/** Validates a policy, copying a map so later changes to it do not affect a run. */
export function validatePolicy(path: string, value: unknown): ExceptionPolicy {
  if (!(value instanceof Map)) {
    if (typeof value === "string") return validateAction(path, value);
    throw new InvalidArgumentError(path, `${ACTIONS_TEXT}, or a Map from Error classes to one of them`, value);
  }
  const copy = new Map<ErrorClass, ExceptionAction>();
  for (const [key, action] of value) {
    const isErrorClass =
      typeof key === "function" && (key === Error || key.prototype instanceof Error);
    if (!isErrorClass) {
      throw new InvalidArgumentError(`${path} key`, "an Error class such as TypeError", key);
    }
    copy.set(key as ErrorClass, validateAction(`${path}.get(${(key as ErrorClass).name})`, action));
  }
  return copy;
}

/**
 * The action a policy prescribes for `error`.
 *
 * @example
 * ```ts
 * actionFor(new Map([[RangeError, "continue"]]), new TypeError()); // "raise"
 * class BarError extends Error {} // a class of the same name as one the worker threw
 * actionFor(new Map([[BarError, "continue"]]), errorFromWorker); // "continue"
 * ```
 */
export function actionFor(policy: ExceptionPolicy, error: unknown): ExceptionAction {
  if (typeof policy === "string") return policy;
  let names: readonly string[] | undefined;
  for (const [errorClass, action] of policy) {
    if (error instanceof errorClass) return action;
    const { name } = errorClass;
    if (name === "") continue;
    // Read lazily: most errors match by instanceof.
    names ??= errorClassNames(error);
    if (names.includes(name)) return action;
  }
  return "raise";
}
