/**
 * The shape every wire codec has, the error a codec raises for bytes it cannot read, and the
 * bookkeeping the codecs share while they walk a value (the path to the current value, the
 * depth limit, the refusal). A transport takes a codec as a parameter: the thread transport
 * posts what `encode` returns, a byte transport (processes, WebSocket frames, SLURM files)
 * writes the `Uint8Array` a bytes codec returns.
 */

import { AmltkError, InvalidArgumentError } from "@amltk/events";
import { UnsendableValueError } from "../errors.js";
import { childPath, type Step, type Unsendable } from "../sendable.js";

/**
 * A way of carrying values between two sides. `Wire` is what crosses: a value for a
 * structured-clone transport (a `MessagePort`), a `Uint8Array` for a bytes transport.
 *
 * The contract: `decode(encode(v))` is `v` as the profile promises it (its file header says
 * exactly what), and a value the profile cannot carry exactly is refused by `encode` with an
 * `UnsendableValueError` naming its path; nothing is altered silently. `encode` and `canSend`
 * never let a user's getter or Proxy throw through them.
 *
 * @example
 * ```ts
 * const bytes = msgpackCodec.encode({ args: [new Map([[1, 2n]])] }, "call");
 * msgpackCodec.decode(bytes); // { args: [Map { 1 => 2n }] }
 * msgpackCodec.canSend({ fit() {} }, "args[0]"); // { path: "args[0].fit", value: [Function: fit] }
 * ```
 */
export interface WireCodec<Wire = unknown> {
  /** Such as `"structured-clone"` or `"msgpack"`; shown in errors and negotiated in `hello`. */
  readonly name: string;
  /** Whether `encode` returns a `Uint8Array` (a bytes transport can write it as is). */
  readonly binary: boolean;
  /**
   * `value` ready for the wire. Throws `UnsendableValueError` (with the path, `path` being the
   * name of `value` itself, `"value"` by default) for what the profile refuses.
   */
  encode(value: unknown, path?: string): Wire;
  /** The value `encode` was given. Throws `WireDecodeError` for data it cannot read. */
  decode(wire: Wire): unknown;
  /** The first value under `value` the profile refuses, with its path; `undefined` if none. */
  canSend(value: unknown, path?: string): Unsendable | undefined;
}

/** Options shared by the codec factories. */
export interface CodecOptions {
  /**
   * How deep values may nest (default 1000). Deeper values are refused with an
   * `UnsendableValueError` rather than overflowing the stack.
   */
  readonly maxDepth?: number;
}

/** The nesting limit when none is given: deep enough for data, far from the stack's end. */
export const DEFAULT_MAX_DEPTH = 1000;

/**
 * Bytes or a value a codec could not decode: truncated, corrupted, or written by another
 * codec or version.
 *
 * @example
 * ```ts
 * try { msgpackCodec.decode(bytes); } catch (e) { if (e instanceof WireDecodeError) dropPeer(); }
 * ```
 */
export class WireDecodeError extends AmltkError {
  override readonly name: string = "WireDecodeError";
  constructor(codec: string, detail: string, options?: { cause?: unknown }) {
    super(`The ${codec} codec cannot decode this data: ${detail}.`, {
      cause: options?.cause,
      code: "ERR_AMLTK_WIRE_DECODE",
    });
  }
}

/** Checks a factory's options, rejecting unknown keys and bad values. */
export function codecOptions(options: CodecOptions | undefined, factory: string): Required<CodecOptions> {
  if (options === undefined) return { maxDepth: DEFAULT_MAX_DEPTH };
  if (typeof options !== "object" || options === null) throw new InvalidArgumentError(`${factory}(options)`, "an object", options);
  for (const key of Object.keys(options)) {
    if (key !== "maxDepth") throw new InvalidArgumentError(`${factory}(options).${key}`, "a known option (maxDepth)", key);
  }
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 100_000) {
    throw new InvalidArgumentError(`${factory}(options).maxDepth`, "an integer from 1 to 100000", maxDepth);
  }
  return { maxDepth };
}

/** Thrown inside a walk to stop it; carries what `canSend` returns and why. */
export class Refusal {
  constructor(
    readonly found: Unsendable,
    readonly reason: string | undefined,
    readonly cause: unknown,
  ) {}

  error(transport: string): UnsendableValueError {
    return new UnsendableValueError(this.found.path, this.found.value, transport, {
      ...(this.cause === undefined ? {} : { cause: this.cause }),
      ...(this.reason === undefined ? {} : { reason: this.reason }),
    });
  }
}

/**
 * The path to the value a walk is at, kept as steps and turned into text only when a value
 * is refused: building `args[0].model.fit` at every step would cost a string per value.
 */
export class PathSteps {
  readonly steps: Step[] = [];
  constructor(readonly root: string) {}

  /** The path as text; very long paths (deep nesting) keep their two ends. */
  text(): string {
    const steps = this.steps;
    const shown = steps.length > 40 ? [...steps.slice(0, 20), { raw: `…(${steps.length - 30} more)…` }, ...steps.slice(-10)] : steps;
    let path = this.root;
    for (const step of shown) path = childPath(path, step);
    return path;
  }

  refuse(value: unknown, reason?: string, cause?: unknown): never {
    throw new Refusal({ path: this.text(), value }, reason, cause);
  }
}

/** The step naming the `i`th key of a Map, and the one naming its value. */
export function mapSteps(key: unknown, i: number): [Step, Step] {
  const shown = typeof key === "string" || typeof key === "number" ? JSON.stringify(key) : `<key ${i}>`;
  return [{ raw: `.keys()[${i}]` }, { raw: `.get(${shown})` }];
}

/** The step naming the `i`th value of a Set. */
export function setStep(i: number): Step {
  return { raw: `.values()[${i}]` };
}
