/**
 * How protocol messages cross the IPC channel. Node's JSON channel is about twice as fast as
 * its "advanced" (structured clone) channel for the small messages of a call, but JSON
 * cannot carry what structured clone can (`undefined`, `NaN`, `-0`, `BigInt`, `Date`, `Map`,
 * typed arrays, holes and extra properties of arrays, shared references, cycles...). So the
 * channel is JSON, and a message that JSON would not carry exactly is sent as
 * structured-clone bytes inside a JSON envelope: the values that arrive are always those
 * structured clone would give (as on threads), at JSON speed when the message is plain data.
 * The bytes come from V8's own serializer, not `v8.serialize`: Node's default one writes a
 * typed array as a copy of its bytes alone (its offset and the buffer it shares with other
 * views are lost) and keeps a `Buffer` a `Buffer`, where structured clone gives a
 * `Uint8Array` over the whole buffer.
 *
 * The check that decides is bounded: it looks at each object once (an object met twice is a
 * shared reference, which JSON would duplicate, so the message is packed at once; a DAG never
 * makes it walk path by path), stops at 64 levels, and remembers the objects it met in a
 * scratch list reused from message to message, so a plain message costs no allocation.
 */

import { types } from "node:util";
import { Deserializer, Serializer } from "node:v8";

/** A message that JSON could not carry exactly, as base64 structured-clone bytes. */
export interface PackedMessage {
  readonly packed: string;
}

/** Deeper than this, JSON is not tried: packing is cheaper than walking on. */
const MAX_JSON_DEPTH = 64;
/** Objects remembered in the list before switching to a set (a linear search gets slow). */
const LIST_LIMIT = 32;

/**
 * The objects of the message being checked, in the first `metCount` slots; the slots are
 * overwritten, never truncated (truncating would give back the storage, and the next message
 * would allocate it again), and cleared after each check so no message is kept alive.
 */
const met: Array<object | undefined> = [];
let metCount = 0;
let metSet: Set<object> | undefined;
let checking = false;

/** Remembers `value`; true when the message met it already (a shared reference or a cycle). */
function metBefore(value: object): boolean {
  if (metSet !== undefined) {
    if (metSet.has(value)) return true;
    metSet.add(value);
    return false;
  }
  for (let i = 0; i < metCount; i++) if (met[i] === value) return true;
  if (metCount === LIST_LIMIT) {
    metSet = new Set(met as object[]);
    metSet.add(value);
    return false;
  }
  met[metCount++] = value;
  return false;
}

function forget(): void {
  for (let i = 0; i < metCount; i++) met[i] = undefined;
  metCount = 0;
  metSet = undefined;
}

/** Whether JSON carries `value` exactly (same value after parse, nothing lost). May throw (a getter). */
function jsonExact(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object": {
      if (value === null) return true;
      if (depth > MAX_JSON_DEPTH || metBefore(value) || types.isProxy(value)) return false;
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) return false;
        const length = value.length;
        for (let i = 0; i < length; i++) {
          if (!(i in value) || !jsonExact(value[i], depth + 1)) return false;
        }
        // No holes, so any further own key is an extra property, which JSON would drop.
        return Object.keys(value).length === length;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) return false;
        const child = (value as Record<string, unknown>)[key];
        // JSON drops undefined-valued keys and calls toJSON; structured clone does neither.
        if (child === undefined || key === "toJSON" || !jsonExact(child, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * `message` ready for a JSON IPC channel: itself when JSON carries it exactly, else packed.
 * Throws an ordinary, catchable error (as a structured-clone channel would) when the message
 * holds a function, a symbol, a getter that throws, nesting too deep for V8's serializer, or
 * another value structured clone refuses; the caller names the bad value's path.
 */
export function toChannel(message: object): object {
  if (!checking) {
    checking = true;
    let exact: boolean;
    try {
      exact = jsonExact(message, 0);
    } finally {
      forget();
      checking = false;
    }
    if (exact) return message;
  }
  // Reached also when a getter of this message sends another message while it is checked.
  const packed: PackedMessage = { packed: serialize(message).toString("base64") };
  return packed;
}

function serialize(value: unknown): Buffer {
  const serializer = new Serializer();
  serializer.writeHeader();
  serializer.writeValue(value);
  return serializer.releaseBuffer();
}

function deserialize(bytes: Buffer): unknown {
  const deserializer = new Deserializer(bytes);
  deserializer.readHeader();
  return deserializer.readValue();
}

/** The message a JSON IPC channel delivered, unpacked if it was packed. */
export function fromChannel(message: unknown): unknown {
  if (typeof message === "object" && message !== null && typeof (message as PackedMessage).packed === "string") {
    return deserialize(Buffer.from((message as PackedMessage).packed, "base64"));
  }
  return message;
}
