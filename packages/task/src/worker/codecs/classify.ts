/**
 * What kind of value an object is, as the wire codecs see it: the few kinds they carry (plain
 * objects, arrays, maps, sets, dates, regular expressions, binary data, errors, boxed
 * primitives) or the reason it cannot be carried. Decided by exact prototype, so a subclass
 * (a class extending Map, say) is a class instance, not a Map: carrying it would drop its
 * class. A Proxy is recognised without touching its traps.
 */

import { types } from "node:util";

/** The kinds of object a codec may carry. */
export type ObjectKind =
  | "array"
  | "object"
  | "null-prototype"
  | "map"
  | "set"
  | "date"
  | "regexp"
  | "array-buffer"
  | "shared-array-buffer"
  | "view"
  | "error"
  | "boxed";

/** An object's kind, or `{ refused }` with the reason it cannot be carried. */
export type Classified = ObjectKind | { readonly refused: string };


/** The constructors of the views codecs carry, by name; `Buffer` arrives as a `Uint8Array`. */
export const VIEW_KINDS = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView,
] as const;

const VIEW_PROTOS = new Set<object>(VIEW_KINDS.map((k) => k.prototype));

const REFUSED_BUILTINS = new Map<object, string>([
  [WeakMap.prototype, "a WeakMap holds its entries weakly, so they cannot be copied"],
  [WeakSet.prototype, "a WeakSet holds its entries weakly, so they cannot be copied"],
  [WeakRef.prototype, "a WeakRef cannot be copied"],
  [Promise.prototype, "a Promise cannot be copied; await it and send its value"],
]);

/** Classifies an object (never a primitive). Reads only its prototype, and not through a Proxy. */
export function classify(value: object): Classified {
  if (types.isProxy(value)) return { refused: "a Proxy cannot be copied (its traps would not come along)" };
  if (Array.isArray(value)) {
    return Object.getPrototypeOf(value) === Array.prototype ? "array" : { refused: classInstance(value) };
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === Object.prototype) return "object";
  if (proto === null) return "null-prototype";
  if (proto === Map.prototype) return "map";
  if (proto === Set.prototype) return "set";
  if (proto === Date.prototype) return "date";
  if (proto === RegExp.prototype) return "regexp";
  if (proto === ArrayBuffer.prototype) return "array-buffer";
  if (proto === SharedArrayBuffer.prototype) return "shared-array-buffer";
  if (VIEW_PROTOS.has(proto) || (Buffer.isBuffer(value) && Object.getPrototypeOf(proto) === Uint8Array.prototype)) return "view";
  if (types.isNativeError(value) || value instanceof Error) return "error";
  if (proto === Number.prototype || proto === String.prototype || proto === Boolean.prototype || proto === BigInt.prototype) {
    return types.isBoxedPrimitive(value) ? "boxed" : { refused: classInstance(value) };
  }
  const refused = REFUSED_BUILTINS.get(proto);
  if (refused !== undefined) return { refused };
  return { refused: classInstance(value) };
}

function classInstance(value: object): string {
  const ctor = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor;
  const name = typeof ctor?.name === "string" && ctor.name !== "" ? ctor.name : "an anonymous class";
  return (
    `an instance of ${name} would arrive as a plain object without its class and methods ` +
    "(send its data and rebuild the instance on the other side)"
  );
}

/** Whether a string survives UTF-8: lone surrogates do not (they become U+FFFD). */
export function wellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/**
 * Whether an array's own enumerable keys (`Object.keys(array)`) are exactly its indices: no
 * holes, no extra properties. Indices come first and ascending, so a last key of
 * `length - 1` with `length` keys in all means every index and nothing else.
 */
export function denseKeys(array: readonly unknown[], keys: readonly string[]): boolean {
  const n = array.length;
  return keys.length === n && (n === 0 || keys[n - 1] === String(n - 1));
}
