/**
 * Finding the value a transport cannot carry, and saying where it is. Executors send first
 * and search only when sending failed, so the search costs nothing on the hot path; a
 * transport that cannot afford a failed send (a result posted by a worker pool that would
 * crash on it) uses the quick check, which costs one `typeof` for a primitive.
 */

import { types } from "node:util";

/** Where the offending value sits and what it is. */
export interface Unsendable {
  /** Such as `args[0].onProgress` or `result.items[3]`. */
  readonly path: string;
  readonly value: unknown;
}

/** Whether a transport can carry `value` as a whole. */
export type CanSend = (value: unknown) => boolean;

/** Structured clone, the format of worker threads and of advanced-serialization IPC. */
export const structuredCloneable: CanSend = (value) => {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
};

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A path step (internal to the worker plumbing, shared with the wire codecs): an index, a property name, or a literal suffix such as `.get("k")`. */
export type Step = string | number | { readonly raw: string };

export function childPath(path: string, key: Step): string {
  if (typeof key === "object") return `${path}${key.raw}`;
  if (typeof key === "number") return `${path}[${key}]`;
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * The deepest value under `value` that `canSend` refuses, with its path; `undefined` when
 * `value` can be sent. Slow (it tries subtrees): call it after a send failed.
 *
 * @example
 * ```ts
 * findUnsendable([1, { cb: () => {} }], "args"); // { path: "args[1].cb", value: [Function: cb] }
 * ```
 */
export function findUnsendable(value: unknown, path: string, canSend: CanSend = structuredCloneable): Unsendable | undefined {
  if (canSend(value)) return undefined;
  return descend(value, path, canSend, new Set());
}

/** Deeper than this the search stops and names the value it is at (no stack overflow). */
const MAX_SEARCH_DEPTH = 1000;

function descend(value: unknown, path: string, canSend: CanSend, seen: Set<object>, depth = 0): Unsendable {
  if (typeof value !== "object" || value === null || seen.has(value) || seen.size > 10_000 || depth >= MAX_SEARCH_DEPTH) {
    return { path, value };
  }
  seen.add(value);
  let entries: Array<[Step, unknown]>;
  try {
    entries = children(value);
  } catch {
    // A getter that throws, or a Proxy whose traps throw: that value is the one to name.
    return { path: unreadablePath(value, path), value };
  }
  for (const [key, child] of entries) {
    if (!canSend(child)) return descend(child, childPath(path, key), canSend, seen, depth + 1);
  }
  return { path, value };
}

/** The path of the property of `value` whose getter throws, or `path` when none can be named. */
function unreadablePath(value: object, path: string): string {
  try {
    const array = Array.isArray(value);
    for (const key of Object.keys(value)) {
      try {
        void (value as Record<string, unknown>)[key];
      } catch {
        return childPath(path, array && /^\d+$/.test(key) ? Number(key) : key);
      }
    }
  } catch {
    // Even its keys cannot be read (a Proxy): name the value itself.
  }
  return path;
}

function mapSteps(key: unknown, i: number): [Step, Step] {
  const shown = typeof key === "string" || typeof key === "number" ? JSON.stringify(key) : `<key ${i}>`;
  return [{ raw: `.keys()[${i}]` }, { raw: `.get(${shown})` }];
}

function children(value: object): Array<[Step, unknown]> {
  if (Array.isArray(value)) return value.map((child, i) => [i, child]);
  if (value instanceof Map) {
    const out: Array<[Step, unknown]> = [];
    let i = 0;
    for (const [k, v] of value) {
      const [keyStep, valueStep] = mapSteps(k, i);
      out.push([keyStep, k], [valueStep, v]);
      i++;
    }
    return out;
  }
  if (value instanceof Set) return [...value].map((child, i): [Step, unknown] => [{ raw: `.values()[${i}]` }, child]);
  return Object.keys(value).map((key) => [key, (value as Record<string, unknown>)[key]]);
}

/**
 * A fast check for structured clone: walks plain objects, arrays, maps and sets looking for
 * functions and symbols, and hands anything unusual (class instances that are not plain
 * data) to `findUnsendable`. Returns the first offending value, or `undefined`.
 *
 * @example
 * ```ts
 * quickUnsendable(42, "result"); // undefined, after one typeof
 * quickUnsendable({ f() {} }, "result"); // { path: "result.f", value: [Function: f] }
 * ```
 */
export function quickUnsendable(value: unknown, path: string): Unsendable | undefined {
  const type = typeof value;
  if (type === "function" || type === "symbol") return { path, value };
  if (type !== "object" || value === null) return undefined;
  return walk(value as object, path, new Set());
}

function walk(value: object, path: string, seen: Set<object>): Unsendable | undefined {
  if (seen.has(value)) return undefined;
  seen.add(value);
  // Structured clone refuses every Proxy, even of plain data: posting one would throw inside
  // the worker pool, out of reach of the call, and the call would never be answered.
  if (types.isProxy(value)) return { path, value };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = check(value[i], path, i, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date || value instanceof RegExp) {
    return undefined;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null || value instanceof Error) {
    for (const key of Object.keys(value)) {
      const found = check((value as Record<string, unknown>)[key], path, key, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value instanceof Map) {
    let i = 0;
    for (const [k, v] of value) {
      const [keyStep, valueStep] = mapSteps(k, i++);
      const found = check(k, path, keyStep, seen) ?? check(v, path, valueStep, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value instanceof Set) {
    let i = 0;
    for (const v of value) {
      const found = check(v, path, { raw: `.values()[${i++}]` }, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return findUnsendable(value, path);
}

function check(child: unknown, path: string, key: Step, seen: Set<object>): Unsendable | undefined {
  const type = typeof child;
  if (type === "function" || type === "symbol") return { path: childPath(path, key), value: child };
  if (type !== "object" || child === null) return undefined;
  return walk(child as object, childPath(path, key), seen);
}
