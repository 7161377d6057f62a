/**
 * The structured-clone wire profile: the values `postMessage` (threads) and `v8.serialize`
 * (processes) carry, minus the alterations structured clone would make silently.
 *
 * What structured clone does, and what this profile makes of it:
 * - Carried exactly, accepted: primitives (`undefined`, `-0`, `NaN`, `BigInt`, lone
 *   surrogates included), plain objects, arrays (holes and extra properties kept), `Map`,
 *   `Set`, `Date`, `ArrayBuffer`, every typed array and `DataView` (the whole underlying
 *   buffer is copied and views on one buffer still share it), boxed primitives, shared
 *   references and cycles (identity is kept: `out[0] === out[1]` for `[s, s]`).
 * - Accepted, documented here as the profile's rule: getters are read and arrive as plain
 *   data properties; symbol-keyed and non-enumerable properties are not carried (as
 *   structured clone does); a Node `Buffer` arrives as a `Uint8Array` over a copy of its
 *   whole buffer (for a small Buffer, Node's 8 KB pool); a `SharedArrayBuffer` is shared
 *   between threads (the bytes variant refuses it).
 * - Altered by structured clone, so carried another way: errors anywhere in the value keep
 *   their class, `code`, `cause` and own fields through the error codec (`encodeError`),
 *   where structured clone would keep only name, message and stack.
 * - Altered by structured clone, so refused with `UnsendableValueError` and the path: class
 *   instances (they would lose their prototype), `Object.create(null)` objects (they would
 *   gain `Object.prototype`), subclasses of Map, Set, Array or typed arrays, a `RegExp` whose
 *   `lastIndex` is not 0; and what structured clone cannot carry at all: functions, symbols,
 *   Proxies, `WeakMap`, `WeakSet`, `WeakRef`, `Promise`, values nested deeper than
 *   `maxDepth`, and a getter that throws (the getter's error is the `cause`).
 *
 * `encode` returns the value itself when it holds no error (the check is the only cost; a
 * primitive costs one `typeof`); otherwise a copy in which errors are encoded, inside an
 * envelope that `decode` recognises at a glance.
 */

import { Deserializer, Serializer } from "node:v8";
import { decodeError, encodeError, isEncodedError, type EncodedError } from "../error-codec.js";
import type { Unsendable } from "../sendable.js";
import { classify, denseKeys } from "./classify.js";
import {
  PathSteps,
  Refusal,
  WireDecodeError,
  codecOptions,
  mapSteps,
  setStep,
  type CodecOptions,
  type WireCodec,
} from "./wire-codec.js";

/** The one key of an envelope, and of the markers inside it. */
const MARK = "amltk:wire";

interface Walk {
  readonly path: PathSteps;
  readonly maxDepth: number;
  seen: Set<object> | undefined;
  depth: number;
  /** Whether the value holds an error or an object that looks like a marker (so it needs the envelope). */
  envelope: boolean;
}

function read(owner: object, key: string | number, walk: Walk): unknown {
  try {
    return (owner as Record<string | number, unknown>)[key];
  } catch (error) {
    // The caller has put `key` on the path already.
    return walk.path.refuse(owner, "reading it threw (a getter failed)", error);
  }
}

function check(value: unknown, walk: Walk): void {
  const type = typeof value;
  if (type === "function" || type === "symbol") walk.path.refuse(value);
  if (type !== "object" || value === null) return;
  checkObject(value as object, walk);
}

function checkObject(value: object, walk: Walk): void {
  const seen = (walk.seen ??= new Set());
  if (seen.has(value)) return;
  seen.add(value);
  if (walk.depth >= walk.maxDepth) walk.path.refuse(value, `it nests deeper than ${walk.maxDepth} levels`);
  const kind = classify(value);
  if (typeof kind === "object") return walk.path.refuse(value, kind.refused);
  const steps = walk.path.steps;
  walk.depth++;
  switch (kind) {
    case "array": {
      const keys = Object.keys(value);
      if (denseKeys(value as unknown[], keys)) {
        for (let i = 0; i < keys.length; i++) {
          steps.push(i);
          check(read(value, i, walk), walk);
          steps.pop();
        }
      } else {
        for (const key of keys) checkKey(value, key, walk);
      }
      break;
    }
    case "object":
      if (Object.prototype.hasOwnProperty.call(value, MARK)) walk.envelope = true;
      for (const key of Object.keys(value)) checkKey(value, key, walk);
      break;
    case "null-prototype":
      walk.path.refuse(
        value,
        "an object without a prototype (Object.create(null)) would arrive with Object.prototype; send { ...value }",
      );
      break;
    case "map": {
      let i = 0;
      for (const [k, v] of value as Map<unknown, unknown>) {
        const [keyStep, valueStep] = mapSteps(k, i++);
        steps.push(keyStep);
        check(k, walk);
        steps.pop();
        steps.push(valueStep);
        check(v, walk);
        steps.pop();
      }
      break;
    }
    case "set": {
      let i = 0;
      for (const v of value as Set<unknown>) {
        steps.push(setStep(i++));
        check(v, walk);
        steps.pop();
      }
      break;
    }
    case "regexp":
      if ((value as RegExp).lastIndex !== 0) {
        walk.path.refuse(value, "structured clone resets a RegExp's lastIndex to 0; reset it or send source and flags");
      }
      break;
    case "error":
      walk.envelope = true;
      break;
    default:
      break;
  }
  walk.depth--;
}

function checkKey(owner: object, key: string, walk: Walk): void {
  walk.path.steps.push(key);
  check(read(owner, key, walk), walk);
  walk.path.steps.pop();
}

function scan(value: unknown, path: string, maxDepth: number): Walk {
  const walk: Walk = { path: new PathSteps(path), maxDepth, seen: undefined, depth: 0, envelope: false };
  if (typeof value === "object" && value !== null) checkObject(value, walk);
  else check(value, walk);
  return walk;
}

/** Thrown errors a check may raise: refusals, or a stack overflow deep in a user's getter. */
function asRefusal(error: unknown, value: unknown, path: string): Refusal {
  if (error instanceof Refusal) return error;
  return new Refusal({ path, value }, "checking it failed", error);
}

/** A copy of `value` in which errors and marker-like objects are wrapped; identity kept. */
function wrap(value: unknown, memo: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null) return value;
  const done = memo.get(value);
  if (done !== undefined) return done;
  const kind = classify(value);
  switch (kind) {
    case "array": {
      const source = value as unknown[];
      const out = new Array<unknown>(source.length);
      memo.set(value, out);
      for (const key of Object.keys(source)) (out as unknown as Record<string, unknown>)[key] = wrap(source[key as never], memo);
      return out;
    }
    case "object": {
      const out: Record<string, unknown> = {};
      const marked = Object.prototype.hasOwnProperty.call(value, MARK);
      memo.set(value, marked ? { [MARK]: "object", o: out } : out);
      for (const key of Object.keys(value)) {
        Object.defineProperty(out, key, {
          value: wrap((value as Record<string, unknown>)[key], memo),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return memo.get(value);
    }
    case "map": {
      const out = new Map<unknown, unknown>();
      memo.set(value, out);
      for (const [k, v] of value as Map<unknown, unknown>) out.set(wrap(k, memo), wrap(v, memo));
      return out;
    }
    case "set": {
      const out = new Set<unknown>();
      memo.set(value, out);
      for (const v of value as Set<unknown>) out.add(wrap(v, memo));
      return out;
    }
    case "error": {
      const out = { [MARK]: "error", e: encodeError(value) };
      memo.set(value, out);
      return out;
    }
    default:
      // Leaves (dates, binary data, boxed primitives) are kept as they are: structured
      // clone copies them exactly and keeps their identity.
      memo.set(value, value);
      return value;
  }
}

/** Undoes `wrap` in place, on the clone a transport delivered (a fresh graph nobody else holds). */
function unwrap(value: unknown, memo: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null) return value;
  const done = memo.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    memo.set(value, value);
    for (const key of Object.keys(value)) (value as unknown as Record<string, unknown>)[key] = unwrap(value[key as never], memo);
    return value;
  }
  if (value instanceof Map) {
    memo.set(value, value);
    const entries = [...value];
    value.clear();
    for (const [k, v] of entries) value.set(unwrap(k, memo), unwrap(v, memo));
    return value;
  }
  if (value instanceof Set) {
    memo.set(value, value);
    const entries = [...value];
    value.clear();
    for (const v of entries) value.add(unwrap(v, memo));
    return value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const record = value as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(record, MARK)) {
    if (record[MARK] === "error" && isEncodedError(record.e)) {
      const error = decodeError(record.e as EncodedError);
      memo.set(value, error);
      return error;
    }
    if (record[MARK] === "object" && typeof record.o === "object" && record.o !== null) {
      const inner = record.o;
      memo.set(value, inner);
      memo.set(inner, inner);
      unwrapFields(inner as Record<string, unknown>, memo);
      return inner;
    }
    throw new WireDecodeError("structured-clone", `an unknown ${MARK} marker ${JSON.stringify(record[MARK])}`);
  }
  memo.set(value, value);
  unwrapFields(record, memo);
  return value;
}

function unwrapFields(record: Record<string, unknown>, memo: Map<object, unknown>): void {
  for (const key of Object.keys(record)) {
    Object.defineProperty(record, key, { value: unwrap(record[key], memo), enumerable: true, writable: true, configurable: true });
  }
}

/**
 * A structured-clone codec; `structuredCloneCodec` is one with the default options.
 *
 * @example
 * ```ts
 * const codec = createStructuredCloneCodec({ maxDepth: 200 });
 * port.postMessage(codec.encode(result, "result"));
 * ```
 */
export function createStructuredCloneCodec(options?: CodecOptions): WireCodec<unknown> {
  const { maxDepth } = codecOptions(options, "createStructuredCloneCodec");
  const canSend = (value: unknown, path = "value"): Unsendable | undefined => {
    try {
      scan(value, path, maxDepth);
      return undefined;
    } catch (error) {
      return asRefusal(error, value, path).found;
    }
  };
  return {
    name: "structured-clone",
    binary: false,
    canSend,
    encode(value, path = "value") {
      let walk: Walk;
      try {
        walk = scan(value, path, maxDepth);
      } catch (error) {
        throw asRefusal(error, value, path).error("the other side (structured clone)");
      }
      if (!walk.envelope) return value;
      return { [MARK]: "root", v: wrap(value, new Map()) };
    },
    decode(wire) {
      if (typeof wire !== "object" || wire === null || Object.getPrototypeOf(wire) !== Object.prototype) return wire;
      const envelope = wire as Record<string, unknown>;
      if (!Object.prototype.hasOwnProperty.call(envelope, MARK)) return wire;
      if (envelope[MARK] !== "root") throw new WireDecodeError("structured-clone", "an envelope without a root");
      return unwrap(envelope.v, new Map());
    },
  };
}

/**
 * The structured-clone profile for threads' `MessagePort`: `encode` checks the value and
 * returns it (or its error-carrying envelope) for `postMessage` to clone.
 *
 * @example
 * ```ts
 * port.postMessage(structuredCloneCodec.encode([s, s], "args")); // arrives as [s', s'], one object
 * structuredCloneCodec.encode(new Model(), "result"); // throws UnsendableValueError: Cannot send result (an object (Model)) ...
 * ```
 */
export const structuredCloneCodec: WireCodec<unknown> = createStructuredCloneCodec();

/**
 * Structured-clone bytes. V8's own serializer, not `v8.serialize`: Node's default serializer
 * writes a typed array as a copy of its bytes alone (the view's offset and its sharing of a
 * buffer with other views are lost, a `Buffer` stays a `Buffer`) and reads it back as a view
 * into the whole input. V8's keeps what structured clone keeps.
 */
function serialize(value: unknown): Uint8Array {
  const serializer = new Serializer();
  serializer.writeHeader();
  serializer.writeValue(value);
  return serializer.releaseBuffer();
}

function deserialize(bytes: Uint8Array): unknown {
  const deserializer = new Deserializer(bytes);
  deserializer.readHeader();
  return deserializer.readValue();
}

/**
 * The structured-clone profile as bytes, for a byte transport between two Node processes: the
 * same values arrive as through `structuredCloneCodec`, except a `SharedArrayBuffer`, which
 * cannot be shared between processes and is refused.
 *
 * @example
 * ```ts
 * pipe.write(frame(structuredCloneBytesCodec.encode(message, "call")));
 * structuredCloneBytesCodec.decode(bytes);
 * ```
 */
export function createStructuredCloneBytesCodec(options?: CodecOptions): WireCodec<Uint8Array> {
  const inner = createStructuredCloneCodec(options);
  const refusal = (value: unknown, path: string, error: unknown): Refusal =>
    new Refusal({ path, value }, "V8's serializer refused it (a SharedArrayBuffer cannot be shared between processes)", error);
  return {
    name: "structured-clone-bytes",
    binary: true,
    canSend(value, path = "value") {
      const found = inner.canSend(value, path);
      if (found !== undefined) return found;
      try {
        serialize(inner.encode(value, path));
        return undefined;
      } catch (error) {
        return refusal(value, path, error).found;
      }
    },
    encode(value, path = "value") {
      const checked = inner.encode(value, path);
      try {
        return serialize(checked);
      } catch (error) {
        throw refusal(value, path, error).error("the other side (structured clone bytes)");
      }
    },
    decode(wire) {
      let value: unknown;
      try {
        value = deserialize(wire);
      } catch (error) {
        throw new WireDecodeError("structured-clone-bytes", "V8's deserializer failed", { cause: error });
      }
      return inner.decode(value);
    },
  };
}

/** `createStructuredCloneBytesCodec()` with the default options. */
export const structuredCloneBytesCodec: WireCodec<Uint8Array> = createStructuredCloneBytesCodec();
