/**
 * The worker protocol, version 3: the messages a main side and a worker exchange, whatever
 * carries them (a worker thread's port, a child process's IPC channel, a WebSocket with
 * msgpack, files of a SLURM job). Every message is plain data. `packages/task/PROTOCOL.md`
 * documents each message, the order rules and the envelope of each transport.
 *
 * Versioning: a connection opens with the worker's `hello`, which carries `v`; the main side
 * refuses another version once, for the whole connection (`ProtocolVersionError`), instead of
 * failing call by call. Later messages carry no version. Any change to a message's shape or
 * meaning, and any new message type, bumps `PROTOCOL_VERSION`.
 */

import type { Call } from "../call.js";
import type { FunctionRef } from "../function-ref.js";
import type { EncodedError } from "./error-codec.js";

/** The version this package speaks. */
export const PROTOCOL_VERSION = 3;

// ---------------------------------------------------------------- worker to main side

/**
 * Worker to main side, first message of every connection: who the worker is and how many
 * calls it runs at once.
 */
export interface HelloMessage {
  readonly type: "hello";
  readonly v: number;
  /** Calls the worker runs at the same time; the pool never sends more (prefetch aside). */
  readonly slots: number;
  readonly pid: number;
  readonly host: string;
  /** The worker thread's id, for threads. */
  readonly threadId?: number;
  /** A name the worker was given (remote workers), shown in renderings. */
  readonly name?: string;
  /** Optional abilities, such as `"prefetch"` or `"comm"`. */
  readonly features: readonly string[];
}

/** Worker to main side: call `id` starts executing now (the future's `running` state). */
export interface StartedMessage {
  readonly type: "started";
  readonly id: number;
}

/** Worker to main side: call `id` returned `value`. */
export interface ResultMessage {
  readonly type: "result";
  readonly id: number;
  readonly value: unknown;
}

/** Worker to main side: call `id` threw, could not run, or was dropped; `error` is encoded. */
export interface ErrorMessage {
  readonly type: "error";
  readonly id: number;
  readonly error: EncodedError;
}

/** Worker to main side (Comm): call `id` sent `data` with `taskContext().send`. */
export interface CallMessageOut {
  readonly type: "message";
  readonly id: number;
  readonly data: unknown;
}

/** Worker to main side (Comm): call `id` asks; the main side answers with `response` `rid`. */
export interface RequestMessage {
  readonly type: "request";
  readonly id: number;
  /** Unique among the worker's open requests. */
  readonly rid: number;
  readonly data: unknown;
}

/** Either side: the answer to a `ping` with the same `t`. */
export interface PongMessage {
  readonly type: "pong";
  readonly t: number;
}

/**
 * Worker to main side: something the main side must show a person but that fails no call,
 * such as an error thrown by a timer a finished call left behind.
 */
export interface WarningMessage {
  readonly type: "warning";
  readonly text: string;
  /** The call the warning concerns, when known. */
  readonly id?: number;
}

// ---------------------------------------------------------------- main side to worker

/** Main side to worker, the answer to `hello`: accepted, under this label. */
export interface WelcomeMessage {
  readonly type: "welcome";
  readonly v: number;
  /** How the main side names this worker in errors and renderings. */
  readonly worker: string;
}

/**
 * Main side to worker: from now on, function number `fn` of this connection is the export
 * `exportName` of `module`. Sent once per connection and function, so module URLs and
 * export names cross once instead of with every call.
 */
export interface DefineMessage {
  readonly type: "define";
  readonly fn: number;
  readonly module: string;
  readonly exportName: string;
}

/**
 * Main side to worker: run a function with `args`. The function is `fn`, numbered by a
 * `define` on this connection; a transport that cannot address one worker (threads, where
 * piscina picks the worker) names it inline with `module` and `exportName` instead.
 */
export interface CallMessage {
  readonly type: "call";
  /** The call's id, unique within its scheduler; echoed by every message about the call. */
  readonly id: number;
  readonly fn?: number;
  readonly module?: string;
  readonly exportName?: string;
  readonly args: readonly unknown[];
  /** 1 for a first attempt; retries count up. */
  readonly attempt: number;
  /** Wall-clock deadline (ms since the epoch) for `remainingTime()`; absent for none. */
  readonly deadline?: number;
}

/**
 * Main side to worker: abort the `taskContext().signal` of call `id` if it runs (reason: a
 * `CancelledError`); drop it, answering with a `CancelledError`, if it waits in the worker.
 */
export interface CancelMessage {
  readonly type: "cancel";
  readonly id: number;
}

/**
 * Main side to worker: give back call `id` if it has not started. The worker answers a call
 * it gives back with an `error` carrying a `CancelledError`; a started call is left alone
 * (its `started` is already on the way).
 */
export interface WithdrawMessage {
  readonly type: "withdraw";
  readonly id: number;
}

/** Main side to worker (Comm): the answer to request `rid` of call `id`. */
export type ResponseMessage =
  | { readonly type: "response"; readonly id: number; readonly rid: number; readonly ok: true; readonly value: unknown }
  | { readonly type: "response"; readonly id: number; readonly rid: number; readonly ok: false; readonly error: EncodedError };

/** Either side: are you there? Answered with a `pong` carrying the same `t`. */
export interface PingMessage {
  readonly type: "ping";
  readonly t: number;
}

/**
 * Either side: goodbye. From the main side: finish the calls you hold, take no more, then
 * exit. From a worker: I am leaving (retiring, shutting down); calls not answered by then are
 * lost with the connection.
 */
export interface CloseMessage {
  readonly type: "close";
  readonly reason: string;
}

/** Every message a main side sends. */
export type ToWorkerMessage =
  | WelcomeMessage
  | DefineMessage
  | CallMessage
  | CancelMessage
  | WithdrawMessage
  | ResponseMessage
  | PingMessage
  | PongMessage
  | CloseMessage;

/** Every message a worker sends. */
export type FromWorkerMessage =
  | HelloMessage
  | StartedMessage
  | ResultMessage
  | ErrorMessage
  | CallMessageOut
  | RequestMessage
  | PingMessage
  | PongMessage
  | WarningMessage
  | CloseMessage;

/** The answer to one call. */
export type AnswerMessage = ResultMessage | ErrorMessage;

/**
 * The call message for `call`, naming its function by number (see `DefineMessage`) or, for
 * transports that cannot address one worker, inline by its `FunctionRef`.
 *
 * @example
 * ```ts
 * connection.post(callMessage(call, 0));
 * piscina.run(callMessage(call, ref));
 * ```
 */
export function callMessage(call: Call, fn: number | FunctionRef): CallMessage {
  const base =
    typeof fn === "number"
      ? { type: "call" as const, id: call.id, fn, args: call.args, attempt: call.attempt }
      : { type: "call" as const, id: call.id, module: fn.module, exportName: fn.exportName, args: call.args, attempt: call.attempt };
  return call.deadline === undefined ? base : { ...base, deadline: call.deadline };
}

/**
 * The define message numbering `ref` as function `fn`.
 *
 * @example
 * ```ts
 * connection.post(defineMessage(0, ref));
 * ```
 */
export function defineMessage(fn: number, ref: FunctionRef): DefineMessage {
  return { type: "define", fn, module: ref.module, exportName: ref.exportName };
}
