/**
 * Turns the ways a piscina task can fail without an answer from our worker (the worker
 * exited, an uncaught error killed it, it ran out of memory, the arguments could not be
 * cloned) into the typed errors of the executor contract. An argument that cannot be cloned
 * is a bad value, not a crash: it fails with `UnsendableValueError` naming the value's path
 * and what went wrong, and never counts towards the crash guard.
 */

import { describeValue } from "@amltk/events";
import { UnsendableValueError, WorkerCrashedError, WorkerLostError, WorkerMemoryLimitError } from "@amltk/task/worker";

const EXITED = /worker exited with code: (-?\d+)/;

/**
 * The error a call reports when piscina rejected its task with `error`. Our worker always
 * answers (user errors are answers), so a rejection is always about the transport.
 */
export function taskFailure(error: unknown, args: readonly unknown[]): Error {
  const err = error as { name?: unknown; code?: unknown; message?: unknown } | null;
  const name = safeString(() => err?.name, "");
  const message = safeString(() => err?.message, "") || safeString(() => String(error), "unknown error");
  const exitedEarly = EXITED.test(message) || err?.code === "ERR_WORKER_OUT_OF_MEMORY" || /Terminating worker thread/.test(message);
  if (!exitedEarly) {
    // Cloning the call's arguments in this thread (a throwing getter, nesting deeper than
    // the stack, a function) rejects the task with the clone's own error, which looks like
    // any error the worker died of: find out by cloning them again here.
    const bad = locateCloneFailure(args, "args");
    if (bad !== undefined) return unsendable(bad, "a worker thread", error);
  }
  if (name === "DataCloneError" || /could not be cloned/.test(message)) {
    const summary = name === "" ? message : `${name}: ${message}`;
    const failure = new UnsendableValueError("result", undefined, "the main thread", { cause: error });
    failure.message = `Cannot send the result to the main thread: it could not be cloned (${summary}).`;
    return failure;
  }
  if (err?.code === "ERR_WORKER_OUT_OF_MEMORY") {
    return new WorkerMemoryLimitError({ exitCode: null, signal: null, worker: "thread" }, { cause: error, limit: "resourceLimits" });
  }
  const exited = EXITED.exec(message);
  if (exited !== null) {
    return new WorkerCrashedError({ exitCode: Number(exited[1]), signal: null, worker: "thread" }, { cause: error });
  }
  if (/Terminating worker thread/.test(message)) {
    return new WorkerLostError("The worker thread running this call was terminated.", { cause: error });
  }
  const summary = describeDeath(error, name, message);
  return new WorkerCrashedError(
    { exitCode: 1, signal: null, worker: "thread" },
    { cause: error, message: `The worker thread running this call died of an uncaught error: ${summary}` },
  );
}

/** A value that cannot be cloned, where it sits, and what happened when cloning it. */
interface CloneFailure {
  readonly path: string;
  readonly value: unknown;
  readonly what: string;
}

/** Levels `locateCloneFailure` descends before it reports the path it reached. */
const MAX_LOCATE_DEPTH = 64;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function describeFailure(failure: unknown): string {
  const name = safeString(() => (failure as { name?: unknown }).name, "");
  const message = safeString(() => (failure as { message?: unknown }).message, "") || safeString(() => String(failure), "unknown failure");
  return name === "" ? message : `${name}: ${message}`;
}

/**
 * Where cloning `value` fails, by cloning it and then its parts (own enumerable keys of
 * arrays and objects, the entries of Maps and Sets), deepest first; `undefined` when it
 * clones. Never throws: a getter that throws is itself the answer. Bounded: past
 * `MAX_LOCATE_DEPTH` levels (a value nested deeper than the stack) it reports where it is.
 */
export function locateCloneFailure(value: unknown, path: string): CloneFailure | undefined {
  let current = value;
  let where = path;
  let what = cloneError(current);
  if (what === undefined) return undefined;
  for (let depth = 0; depth < MAX_LOCATE_DEPTH; depth++) {
    const next = failingChild(current, where);
    if (next === undefined) return { path: where, value: current, what };
    if ("getter" in next) return { path: next.path, value: undefined, what: `reading it threw ${next.getter}` };
    current = next.value;
    where = next.path;
    what = next.what;
  }
  return { path: where, value: current, what: `it is nested more than ${MAX_LOCATE_DEPTH} levels deep here, and cloning failed: ${what}` };
}

function cloneError(value: unknown): string | undefined {
  try {
    structuredClone(value);
    return undefined;
  } catch (failure) {
    return describeFailure(failure);
  }
}

type Child = { path: string; value: unknown; what: string } | { path: string; getter: string };

/** The first part of `value` that does not clone, or `undefined` when every part does. */
function failingChild(value: unknown, path: string): Child | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  let entries: Array<[string, () => unknown]>;
  try {
    if (value instanceof Map) {
      entries = [];
      let i = 0;
      for (const [k, v] of value) {
        entries.push([`${path}.keys()[${i}]`, () => k], [`${path}.get(${describeValue(k)})`, () => v]);
        i++;
      }
    } else if (value instanceof Set) {
      entries = [...value].map((v, i): [string, () => unknown] => [`${path}.values()[${i}]`, () => v]);
    } else {
      entries = Object.keys(value).map((key): [string, () => unknown] => [
        childPath(path, Array.isArray(value) && /^\d+$/.test(key) ? Number(key) : key),
        () => (value as Record<string, unknown>)[key],
      ]);
    }
  } catch {
    // A proxy whose traps throw: the value itself is what cannot be cloned.
    return undefined;
  }
  for (const [childAt, read] of entries) {
    let child: unknown;
    try {
      child = read();
    } catch (failure) {
      return { path: childAt, getter: describeFailure(failure) };
    }
    const what = cloneError(child);
    if (what !== undefined) return { path: childAt, value: child, what };
  }
  return undefined;
}

function unsendable(bad: CloneFailure, transport: string, cause: unknown): UnsendableValueError {
  const failure = new UnsendableValueError(bad.path, bad.value, transport, { cause });
  const shown = bad.value === undefined ? "" : ` (${safeString(() => describeValue(bad.value), "a value")})`;
  failure.message =
    `Cannot send ${bad.path}${shown} to ${transport}: ${bad.what}. The call was not started; ` +
    "send plain data (no functions, symbols, native handles, throwing getters or very deep nesting).";
  return failure;
}

/** What a worker died of, readable even when the error arrived as a plain object. */
function describeDeath(error: unknown, name: string, message: string): string {
  if (message !== "[object Object]") return name === "" ? message : `${name}: ${message}`;
  try {
    return `a value that is not an Error (${JSON.stringify(error)})`;
  } catch {
    return "a value that is not an Error";
  }
}

function safeString(read: () => unknown, fallback: string): string {
  try {
    const value = read();
    return typeof value === "string" ? value : fallback;
  } catch {
    return fallback;
  }
}
