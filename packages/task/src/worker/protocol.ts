/**
 * The worker protocol: the messages a main side and a worker exchange, whatever carries them
 * (a worker thread's port, a child process's IPC channel, a WebSocket with msgpack). Every
 * message is plain data, so it survives structured clone and msgpack alike, and carries the
 * protocol version `v`: a peer that receives another version refuses the message with
 * `ProtocolVersionError` instead of guessing.
 *
 * Versioning rule: any change to a message's shape or meaning bumps `PROTOCOL_VERSION`.
 * Adding a new message type does too, because an old peer would not know it.
 */

import type { Call } from "../call.js";
import type { FunctionRef } from "../function-ref.js";
import type { EncodedError } from "./error-codec.js";

/** The version of the messages below. */
export const PROTOCOL_VERSION = 2;

/**
 * Main side to worker: run the function `exportName` of `module` with `args`.
 *
 * The message doubles as the function reference (`module`, `exportName`), so the worker can
 * look the function up without building another object per call.
 */
export interface CallMessage {
  readonly type: "call";
  readonly v: number;
  /** The call's id, unique within its scheduler; echoed by the answer. */
  readonly id: number;
  readonly module: string;
  readonly exportName: string;
  readonly args: readonly unknown[];
  /** 1 for a first attempt; retries count up. */
  readonly attempt: number;
  /** Wall-clock deadline (ms since the epoch) for `remainingTime()`; absent for none. */
  readonly deadline?: number;
}

/**
 * Main side to worker: from now on, function number `fn` of this connection is the export
 * `exportName` of `module`. A transport that knows which worker gets each call sends this
 * once per worker and function, then `IndexedCallMessage`s: the module URL and export name
 * then cross the channel once instead of with every call.
 */
export interface DefineMessage {
  readonly type: "define";
  readonly v: number;
  readonly fn: number;
  readonly module: string;
  readonly exportName: string;
}

/** Main side to worker: a `CallMessage` naming its function by a number `DefineMessage` gave. */
export interface IndexedCallMessage {
  readonly type: "call";
  readonly v: number;
  readonly id: number;
  /** The function, as numbered by an earlier `DefineMessage` on the same connection. */
  readonly fn: number;
  readonly args: readonly unknown[];
  readonly attempt: number;
  readonly deadline?: number;
}

/** A call message of either form. */
export type AnyCallMessage = CallMessage | IndexedCallMessage;

/**
 * Main side to worker: abort the `taskContext().signal` of call `id` if it is running; drop it
 * (answering with a `CancelledError`) if it waits in the worker's queue.
 */
export interface CancelMessage {
  readonly type: "cancel";
  readonly v: number;
  readonly id: number;
}

/**
 * Main side to worker: give back call `id` if it has not started (a worker may hold calls
 * queued behind the one it runs). The worker answers a call it gives back with an
 * `ErrorMessage` carrying a `CancelledError`; a call that already started is left alone.
 */
export interface WithdrawMessage {
  readonly type: "withdraw";
  readonly v: number;
  readonly id: number;
}

/** Worker to main side: call `id` returned `value`. */
export interface ResultMessage {
  readonly type: "result";
  readonly v: number;
  readonly id: number;
  readonly value: unknown;
}

/** Worker to main side: call `id` threw (or could not run); `error` is encoded. */
export interface ErrorMessage {
  readonly type: "error";
  readonly v: number;
  readonly id: number;
  readonly error: EncodedError;
}

/** Worker to main side, once, when the worker is ready for calls. */
export interface ReadyMessage {
  readonly type: "ready";
  readonly v: number;
  /** The worker's process id (and thread id for threads), for diagnostics. */
  readonly pid: number;
  readonly threadId?: number;
}

/** Every message a main side sends. */
export type ToWorkerMessage = CallMessage | IndexedCallMessage | DefineMessage | CancelMessage | WithdrawMessage;
/** Every message a worker sends. */
export type FromWorkerMessage = ResultMessage | ErrorMessage | ReadyMessage;
/** The answer to one call. */
export type AnswerMessage = ResultMessage | ErrorMessage;

/**
 * The call message for `call`, whose `fn` must already be known to be a `FunctionRef`.
 *
 * @example
 * ```ts
 * port.postMessage(callMessage(call, call.fn as FunctionRef));
 * ```
 */
export function callMessage(call: Call, ref: FunctionRef, deadline?: number): CallMessage {
  return deadline === undefined
    ? { type: "call", v: PROTOCOL_VERSION, id: call.id, module: ref.module, exportName: ref.exportName, args: call.args, attempt: call.attempt }
    : {
        type: "call",
        v: PROTOCOL_VERSION,
        id: call.id,
        module: ref.module,
        exportName: ref.exportName,
        args: call.args,
        attempt: call.attempt,
        deadline,
      };
}

/**
 * The call message for `call`, naming its function by number `fn` (see `DefineMessage`).
 *
 * @example
 * ```ts
 * child.send(indexedCallMessage(call, 0));
 * ```
 */
export function indexedCallMessage(call: Call, fn: number, deadline?: number): IndexedCallMessage {
  return deadline === undefined
    ? { type: "call", v: PROTOCOL_VERSION, id: call.id, fn, args: call.args, attempt: call.attempt }
    : { type: "call", v: PROTOCOL_VERSION, id: call.id, fn, args: call.args, attempt: call.attempt, deadline };
}

/**
 * The define message numbering `ref` as function `fn`.
 *
 * @example
 * ```ts
 * child.send(defineMessage(0, ref));
 * ```
 */
export function defineMessage(fn: number, ref: FunctionRef): DefineMessage {
  return { type: "define", v: PROTOCOL_VERSION, fn, module: ref.module, exportName: ref.exportName };
}

/**
 * The cancel message for call `id`.
 *
 * @example
 * ```ts
 * child.send(cancelMessage(7));
 * ```
 */
export function cancelMessage(id: number): CancelMessage {
  return { type: "cancel", v: PROTOCOL_VERSION, id };
}

/**
 * The withdraw message for call `id`.
 *
 * @example
 * ```ts
 * child.send(withdrawMessage(7));
 * ```
 */
export function withdrawMessage(id: number): WithdrawMessage {
  return { type: "withdraw", v: PROTOCOL_VERSION, id };
}

/** Whether `message` looks like a protocol message of any version (has a `type` and a `v`). */
export function isProtocolMessage(message: unknown): message is { type: string; v: number; id?: number } {
  return (
    typeof message === "object" &&
    message !== null &&
    typeof (message as { type?: unknown }).type === "string" &&
    typeof (message as { v?: unknown }).v === "number"
  );
}
