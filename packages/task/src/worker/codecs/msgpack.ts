/**
 * The MessagePack wire profile (remote workers over WebSocket, SLURM files): bytes any
 * MessagePack reader can parse, with extension types so that values arrive exactly as sent.
 *
 * Carried exactly: `undefined` (in objects, arrays, anywhere), `null`, booleans, every number
 * (`-0`, `NaN`, `±Infinity`), `BigInt` of any size and sign, strings (lone surrogates too,
 * which UTF-8 would turn into U+FFFD), plain objects (a `__proto__` key included) and
 * `Object.create(null)` objects, arrays (holes and extra properties kept), `Map` and `Set`
 * (object keys included), `Date` (invalid ones too), `RegExp` (with `lastIndex`),
 * `ArrayBuffer`, every typed array and `DataView` (over their whole buffer, like structured
 * clone: views on one buffer still share it), and errors through the error codec
 * (`encodeError`: class, `code`, `cause`, own fields). Identity is kept: every object is
 * written once and later mentions are references, so `[s, s]` arrives as one object twice,
 * cycles arrive as cycles, and a DAG costs its size, not its number of paths.
 *
 * The same documented rules as the structured-clone profile: getters are read and arrive as
 * data; symbol-keyed and non-enumerable properties are not carried; a Node `Buffer` arrives
 * as a `Uint8Array`.
 *
 * Refused with `UnsendableValueError` and the path: functions, symbols, class instances
 * (subclasses of builtins too), boxed primitives, Proxies, `WeakMap`, `WeakSet`, `WeakRef`,
 * `Promise`, `SharedArrayBuffer` (it cannot be shared across a wire), a cycle that runs
 * through an error, values nested deeper than `maxDepth`, and a getter that throws (its
 * error is the `cause`).
 *
 * The wire format: plain objects and dense arrays are MessagePack maps and arrays; other
 * containers are arrays whose first element is a header extension (type 10 and up), which a
 * user's array can never start with; scalars that MessagePack lacks are extensions 0 to 5.
 * Object ids are given in the order objects are first written, so references need no table.
 */

import { Decoder, Encoder, ExtData } from "@msgpack/msgpack";
import { decodeError, encodeError, type EncodedError } from "../error-codec.js";
import type { Unsendable } from "../sendable.js";
import { VIEW_KINDS, classify, denseKeys, wellFormed } from "./classify.js";
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

const enum Ext {
  Undefined = 0,
  NegativeZero = 1,
  BigInt = 2,
  Ref = 3,
  Date = 4,
  String16 = 5,
  // Headers: the first element of an array that is not a plain dense array.
  Array = 10,
  Map = 11,
  Set = 12,
  Object = 13,
  View = 14,
  RegExp = 15,
  Error = 16,
}

const EMPTY = new Uint8Array(0);
const UNDEFINED = new ExtData(Ext.Undefined, EMPTY);
const NEGATIVE_ZERO = new ExtData(Ext.NegativeZero, EMPTY);
const HEADERS = {
  array: new ExtData(Ext.Array, EMPTY),
  map: new ExtData(Ext.Map, EMPTY),
  set: new ExtData(Ext.Set, EMPTY),
  object: new ExtData(Ext.Object, EMPTY),
  view: new ExtData(Ext.View, EMPTY),
  regexp: new ExtData(Ext.RegExp, EMPTY),
  error: new ExtData(Ext.Error, EMPTY),
};
const INDEX = /^(?:0|[1-9]\d*)$/;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder("utf-8", { fatal: true });

function float64(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value);
  return bytes;
}

function uint32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

function string16(text: string): ExtData {
  const bytes = new Uint8Array(text.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < text.length; i++) view.setUint16(i * 2, text.charCodeAt(i));
  return new ExtData(Ext.String16, bytes);
}

/** The state of one `encode`: the objects written so far (by id), the path, the depth. */
class Writer {
  readonly ids = new Map<object, number>();
  /** Errors being written: a reference back to one of them cannot be rebuilt. */
  readonly openErrors = new Set<object>();
  depth = 0;
  constructor(
    readonly path: PathSteps,
    readonly maxDepth: number,
    readonly canCarry: (value: unknown) => boolean,
  ) {}

  value(value: unknown): unknown {
    switch (typeof value) {
      case "string":
        return wellFormed(value) ? value : string16(value);
      case "number":
        return value === 0 && 1 / value < 0 ? NEGATIVE_ZERO : value;
      case "boolean":
        return value;
      case "undefined":
        return UNDEFINED;
      case "bigint":
        return new ExtData(Ext.BigInt, utf8.encode(value.toString(16)));
      case "object":
        return value === null ? null : this.object(value);
      default:
        return this.path.refuse(value);
    }
  }

  read(owner: object, key: string | number): unknown {
    try {
      return (owner as Record<string | number, unknown>)[key];
    } catch (error) {
      this.path.steps.push(key);
      return this.path.refuse(owner, "reading it threw (a getter failed)", error);
    }
  }

  at(step: string | number | { raw: string }, value: unknown): unknown {
    this.path.steps.push(step);
    const out = this.value(value);
    this.path.steps.pop();
    return out;
  }

  object(value: object): unknown {
    const id = this.ids.get(value);
    if (id !== undefined) {
      if (this.openErrors.has(value)) this.path.refuse(value, "a cycle that runs through an error cannot be rebuilt");
      return new ExtData(Ext.Ref, uint32(id));
    }
    const kind = classify(value);
    if (typeof kind === "object") return this.path.refuse(value, kind.refused);
    if (this.depth >= this.maxDepth) this.path.refuse(value, `it nests deeper than ${this.maxDepth} levels`);
    this.ids.set(value, this.ids.size);
    this.depth++;
    const out = this.kind(value, kind);
    this.depth--;
    return out;
  }

  kind(value: object, kind: Exclude<ReturnType<typeof classify>, { refused: string }>): unknown {
    switch (kind) {
      case "array": {
        const source = value as unknown[];
        const keys = Object.keys(source);
        if (denseKeys(source, keys)) {
          const out = new Array<unknown>(source.length);
          for (let i = 0; i < out.length; i++) out[i] = this.at(i, this.read(source, i));
          return out;
        }
        // Holes or extra properties: the length, then index/key and value pairs.
        const out: unknown[] = [HEADERS.array, source.length];
        for (const key of keys) {
          const index = INDEX.test(key) && Number(key) < 2 ** 32 - 1;
          out.push(index ? Number(key) : this.value(key), this.at(index ? Number(key) : key, this.read(source, key)));
        }
        return out;
      }
      case "object": {
        const keys = Object.keys(value);
        let native = true;
        for (const key of keys) if (key === "__proto__" || !wellFormed(key)) native = false;
        if (native) {
          const out: Record<string, unknown> = {};
          for (const key of keys) out[key] = this.at(key, this.read(value, key));
          return out;
        }
        return this.pairs(value, keys, false);
      }
      case "null-prototype":
        return this.pairs(value, Object.keys(value), true);
      case "map": {
        const out: unknown[] = [HEADERS.map];
        let i = 0;
        for (const [k, v] of value as Map<unknown, unknown>) {
          const [keyStep, valueStep] = mapSteps(k, i++);
          out.push(this.at(keyStep, k), this.at(valueStep, v));
        }
        return out;
      }
      case "set": {
        const out: unknown[] = [HEADERS.set];
        let i = 0;
        for (const v of value as Set<unknown>) out.push(this.at(setStep(i++), v));
        return out;
      }
      case "date":
        return new ExtData(Ext.Date, float64((value as Date).getTime()));
      case "regexp": {
        const re = value as RegExp;
        return [HEADERS.regexp, this.value(re.source), re.flags, re.lastIndex];
      }
      case "array-buffer": {
        if ((value as ArrayBuffer & { resizable?: boolean }).resizable === true) {
          this.path.refuse(value, "a resizable ArrayBuffer would arrive fixed-size");
        }
        return new Uint8Array(value as ArrayBuffer);
      }
      case "view": {
        const view = value as ArrayBufferView;
        if (view.buffer instanceof SharedArrayBuffer) this.path.refuse(value, "a view on a SharedArrayBuffer cannot be shared across a wire");
        const kind = VIEW_KINDS.find((k) => view instanceof k)!;
        const length = view instanceof DataView ? view.byteLength : (view as Uint8Array).length;
        return [HEADERS.view, kind.name, this.at({ raw: ".buffer" }, view.buffer), view.byteOffset, length];
      }
      case "error": {
        this.openErrors.add(value);
        const encoded = encodeError(value, { canSend: this.canCarry });
        // The encoded error is a fresh tree: its plain parts are never shared, so they take ids
        // only so that the reader counts the same objects.
        const out = [HEADERS.error, this.value(encoded)];
        this.openErrors.delete(value);
        return out;
      }
      case "shared-array-buffer":
        return this.path.refuse(value, "a SharedArrayBuffer cannot be shared across a wire");
      case "boxed":
        return this.path.refuse(value, "a boxed primitive (new Number(...)) is not carried by MessagePack; send the primitive");
    }
  }

  pairs(value: object, keys: string[], nullPrototype: boolean): unknown[] {
    const out: unknown[] = [HEADERS.object, nullPrototype];
    for (const key of keys) out.push(this.value(key), this.at(key, this.read(value, key)));
    return out;
  }
}

/** The state of one `decode`: the objects rebuilt so far, by id. */
class Reader {
  readonly objects: unknown[] = [];
  constructor(readonly maxDepth: number) {}

  fail(detail: string): never {
    throw new WireDecodeError("msgpack", detail);
  }

  value(raw: unknown, depth: number): unknown {
    if (typeof raw !== "object" || raw === null) return raw;
    if (depth > this.maxDepth) this.fail(`values nest deeper than ${this.maxDepth} levels`);
    if (raw instanceof ExtData) return this.ext(raw);
    if (raw instanceof Uint8Array) {
      const buffer = raw.slice().buffer;
      this.objects.push(buffer);
      return buffer;
    }
    if (Array.isArray(raw)) {
      const head = raw[0];
      if (head instanceof ExtData && head.type >= Ext.Array) return this.header(head.type, raw, depth);
      const out = new Array<unknown>(raw.length);
      this.objects.push(out);
      for (let i = 0; i < raw.length; i++) out[i] = this.value(raw[i], depth + 1);
      return out;
    }
    const out: Record<string, unknown> = {};
    this.objects.push(out);
    for (const key of Object.keys(raw)) out[key] = this.value((raw as Record<string, unknown>)[key], depth + 1);
    return out;
  }

  ext(raw: ExtData): unknown {
    const data = raw.data as Uint8Array;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    switch (raw.type) {
      case Ext.Undefined:
        return undefined;
      case Ext.NegativeZero:
        return -0;
      case Ext.BigInt: {
        const text = fromUtf8.decode(data);
        if (!/^-?[0-9a-f]+$/.test(text)) this.fail(`a malformed BigInt ${JSON.stringify(text)}`);
        return text.startsWith("-") ? -BigInt(`0x${text.slice(1)}`) : BigInt(`0x${text}`);
      }
      case Ext.Ref: {
        if (data.byteLength !== 4) this.fail("a malformed reference");
        const id = view.getUint32(0);
        if (id >= this.objects.length || this.objects[id] === undefined) this.fail(`a reference to object ${id}, which is not there`);
        return this.objects[id];
      }
      case Ext.Date: {
        if (data.byteLength !== 8) this.fail("a malformed Date");
        const date = new Date(view.getFloat64(0));
        this.objects.push(date);
        return date;
      }
      case Ext.String16: {
        if (data.byteLength % 2 !== 0) this.fail("a malformed UTF-16 string");
        let text = "";
        for (let i = 0; i < data.byteLength; i += 2) text += String.fromCharCode(view.getUint16(i));
        return text;
      }
      default:
        return this.fail(`an unknown extension type ${raw.type}`);
    }
  }

  key(raw: unknown): string {
    const key = this.value(raw, 0);
    if (typeof key !== "string") this.fail("an object key that is not a string");
    return key;
  }

  header(type: number, raw: unknown[], depth: number): unknown {
    switch (type) {
      case Ext.Array: {
        const length = raw[1];
        if (typeof length !== "number" || !Number.isInteger(length) || length < 0 || length > 2 ** 32 - 1) this.fail("a malformed array length");
        const out = new Array<unknown>(length);
        this.objects.push(out);
        for (let i = 2; i + 1 < raw.length; i += 2) {
          const key = raw[i];
          const name = typeof key === "number" ? key : this.key(key);
          define(out, name, this.value(raw[i + 1], depth + 1));
        }
        return out;
      }
      case Ext.Object: {
        const out: Record<string, unknown> = raw[1] === true ? (Object.create(null) as Record<string, unknown>) : {};
        this.objects.push(out);
        for (let i = 2; i + 1 < raw.length; i += 2) define(out, this.key(raw[i]), this.value(raw[i + 1], depth + 1));
        return out;
      }
      case Ext.Map: {
        const out = new Map<unknown, unknown>();
        this.objects.push(out);
        for (let i = 1; i + 1 < raw.length; i += 2) out.set(this.value(raw[i], depth + 1), this.value(raw[i + 1], depth + 1));
        return out;
      }
      case Ext.Set: {
        const out = new Set<unknown>();
        this.objects.push(out);
        for (let i = 1; i < raw.length; i++) out.add(this.value(raw[i], depth + 1));
        return out;
      }
      case Ext.RegExp: {
        const [, source, flags, lastIndex] = raw;
        const re = new RegExp(this.value(source, depth + 1) as string, flags as string);
        re.lastIndex = lastIndex as number;
        this.objects.push(re);
        return re;
      }
      case Ext.View: {
        const id = this.objects.length;
        this.objects.push(undefined);
        const [, kindName, bufferRaw, offset, length] = raw;
        const kind = VIEW_KINDS.find((k) => k.name === kindName);
        const buffer = this.value(bufferRaw, depth + 1);
        if (kind === undefined || !(buffer instanceof ArrayBuffer)) this.fail("a malformed typed array");
        let view: ArrayBufferView;
        try {
          view = new (kind as unknown as new (b: ArrayBuffer, o: number, l: number) => ArrayBufferView)(buffer, offset as number, length as number);
        } catch (error) {
          throw new WireDecodeError("msgpack", "a typed array outside its buffer", { cause: error });
        }
        this.objects[id] = view;
        return view;
      }
      case Ext.Error: {
        const id = this.objects.length;
        this.objects.push(undefined);
        const encoded = this.value(raw[1], depth + 1);
        if (typeof encoded !== "object" || encoded === null || (encoded as EncodedError).kind !== "amltk:error") this.fail("a malformed error");
        const error = decodeError(encoded as EncodedError);
        this.objects[id] = error;
        return error;
      }
      default:
        return this.fail(`an unknown header extension type ${type}`);
    }
  }
}

function define(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * A MessagePack codec; `msgpackCodec` is one with the default options.
 *
 * @example
 * ```ts
 * const codec = createMsgpackCodec({ maxDepth: 200 });
 * socket.send(codec.encode(message, "call"));
 * ```
 */
export function createMsgpackCodec(options?: CodecOptions): WireCodec<Uint8Array> {
  const { maxDepth } = codecOptions(options, "createMsgpackCodec");
  // Every user level is at most two MessagePack levels (a header array, then its contents).
  const encoder = new Encoder({ maxDepth: maxDepth * 2 + 16 });
  const decoder = new Decoder();
  const write = (value: unknown, path: string): unknown => {
    const writer: Writer = new Writer(new PathSteps(path), maxDepth, (v) => canSend(v, "value") === undefined);
    try {
      return writer.value(value);
    } catch (error) {
      if (error instanceof Refusal) throw error;
      throw new Refusal({ path, value }, "checking it failed", error);
    }
  };
  const canSend = (value: unknown, path = "value"): Unsendable | undefined => {
    try {
      write(value, path);
      return undefined;
    } catch (error) {
      return (error as Refusal).found;
    }
  };
  return {
    name: "msgpack",
    binary: true,
    canSend,
    encode(value, path = "value") {
      let tree: unknown;
      try {
        tree = write(value, path);
      } catch (error) {
        throw (error as Refusal).error("the other side (MessagePack)");
      }
      return encoder.encode(tree);
    },
    decode(wire) {
      let tree: unknown;
      try {
        tree = decoder.decode(wire);
      } catch (error) {
        throw new WireDecodeError("msgpack", "the bytes are not MessagePack", { cause: error });
      }
      return new Reader(maxDepth * 2 + 16).value(tree, 0);
    },
  };
}

/**
 * The MessagePack profile with the default options.
 *
 * @example
 * ```ts
 * const bytes = msgpackCodec.encode({ when: new Date(0), n: 2n ** 70n, gone: undefined }, "result");
 * msgpackCodec.decode(bytes); // { when: Date(0), n: 1180591620717411303424n, gone: undefined }
 * ```
 */
export const msgpackCodec: WireCodec<Uint8Array> = createMsgpackCodec();
