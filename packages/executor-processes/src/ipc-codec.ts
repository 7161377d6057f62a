/**
 * How protocol messages cross the IPC channel. Node's JSON channel is about twice as fast as
 * its "advanced" (structured clone) channel for the small messages of a call, but JSON
 * cannot carry what structured clone can (`undefined`, `NaN`, `-0`, `BigInt`, `Date`, `Map`,
 * typed arrays, cycles...). So the channel is JSON, and a message that JSON would not carry
 * exactly is sent as structured-clone bytes (`v8.serialize`) inside a JSON envelope: the
 * values that arrive are always those structured clone would give, at JSON speed when the
 * message is plain data.
 */

import { deserialize, serialize } from "node:v8";

/** A message that JSON could not carry exactly, as base64 structured-clone bytes. */
export interface PackedMessage {
  readonly packed: string;
}

/** Whether JSON carries `value` exactly (same value after parse, nothing lost). */
function jsonExact(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object": {
      if (value === null) return true;
      if (depth > 64) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (!(i in value) || !jsonExact(value[i], depth + 1)) return false;
        }
        return true;
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
 * Throws (like a structured-clone channel) when the message holds a function, a symbol or
 * another value structured clone refuses.
 */
export function toChannel(message: object): object {
  if (jsonExact(message, 0)) return message;
  const packed: PackedMessage = { packed: serialize(message).toString("base64") };
  return packed;
}

/** The message a JSON IPC channel delivered, unpacked if it was packed. */
export function fromChannel(message: unknown): unknown {
  if (typeof message === "object" && message !== null && typeof (message as PackedMessage).packed === "string") {
    return deserialize(Buffer.from((message as PackedMessage).packed, "base64"));
  }
  return message;
}
