/**
 * The worker side of the protocol: runs call messages. It loads the function once per
 * worker (`loadFunction`), runs it inside `runInTaskContext` with a signal that a cancel
 * message aborts, and answers with a result or an encoded error. Every transport's worker
 * entry point is this runner plus a few lines that move messages.
 */

import { runInTaskContext, type TaskContext } from "../context.js";
import { loadFunction, loadedFunction, type AnyFunction, type FunctionRef } from "../function-ref.js";
import { encodeError } from "./error-codec.js";
import { CancelledError } from "../errors.js";
import { ProtocolVersionError, UnsendableValueError } from "./errors.js";
import {
  PROTOCOL_VERSION,
  type AnswerMessage,
  type AnyCallMessage,
  type DefineMessage,
  type ErrorMessage,
  type ResultMessage,
} from "./protocol.js";
import { quickUnsendable } from "./sendable.js";

/** Options for `new CallRunner()`. */
export interface CallRunnerOptions {
  /**
   * Check results for values the transport cannot carry before answering, for transports
   * where a failed send would crash the worker (a thread pool posting the answer itself).
   * @default false
   */
  readonly checkResults?: boolean;
  /** The transport's name for error messages, such as `"the main thread"`. */
  readonly peer?: string;
}

const infinity = () => Number.POSITIVE_INFINITY;

/** The task context of one running call; its `AbortSignal` exists only once read. */
class RunningCall implements TaskContext {
  #controller: AbortController | undefined;
  #cancelled = false;
  readonly remainingTime: () => number;

  constructor(
    readonly attempt: number,
    deadline: number | undefined,
  ) {
    this.remainingTime = deadline === undefined ? infinity : () => Math.max(0, deadline - Date.now());
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#cancelled) this.#controller.abort(cancelReason());
    }
    return this.#controller.signal;
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#controller?.abort(cancelReason());
  }
}

/**
 * How many cancel requests for calls this worker has not seen yet are remembered. A transport
 * that broadcasts cancels (threads) sends every worker every cancel, so the memory is bounded;
 * a cancel for one of this worker's calls arrives at most a few calls early.
 */
const EARLY_CANCELS = 256;

function cancelReason(): Error {
  const error = new Error("The call was cancelled.");
  error.name = "CancelledError";
  return error;
}

/**
 * Runs call messages in a worker and produces their answers. Synchronous functions whose
 * module is loaded are answered synchronously (no promise on the hot path).
 *
 * @example
 * ```ts
 * const runner = new CallRunner();
 * port.on("message", (msg) => {
 *   if (msg.type === "cancel") return runner.cancel(msg.id);
 *   const answer = runner.run(msg);
 *   if (answer instanceof Promise) answer.then((a) => port.postMessage(a));
 *   else port.postMessage(answer);
 * });
 * ```
 */
export class CallRunner {
  readonly #running = new Map<number, RunningCall>();
  readonly #checkResults: boolean;
  readonly #peer: string;
  #lastModule: string | undefined;
  #lastExport: string | undefined;
  #lastFn: AnyFunction | undefined;
  /** Functions numbered by define messages, and each one once loaded. */
  readonly #defined: FunctionRef[] = [];
  readonly #definedFns: Array<AnyFunction | undefined> = [];
  /** Function numbers whose define message spoke another protocol version, and that version. */
  readonly #badVersions: unknown[] = [];
  /** Cancels that arrived before their call (oldest first), so the call is not run at all. */
  readonly #earlyCancels = new Set<number>();

  constructor(options: CallRunnerOptions = {}) {
    this.#checkResults = options.checkResults ?? false;
    this.#peer = options.peer ?? "the main side";
  }

  /** How many calls are running (async calls awaiting). */
  get running(): number {
    return this.#running.size;
  }

  /** Numbers a function for later `IndexedCallMessage`s (see `DefineMessage`). */
  define(message: DefineMessage): void {
    if (message.v !== PROTOCOL_VERSION) {
      // Remembered, so the calls that use this number fail with the version error, not with
      // a confusing "called before it was defined".
      this.#badVersions[message.fn] = message.v;
      return;
    }
    this.#defined[message.fn] = {
      kind: "amltk:function-ref",
      module: message.module,
      exportName: message.exportName,
    } as FunctionRef;
    this.#definedFns[message.fn] = undefined;
  }

  /** Runs `message`; the answer, or a promise of it. Never throws or rejects. */
  run(message: AnyCallMessage): AnswerMessage | Promise<AnswerMessage> {
    if (message.v !== PROTOCOL_VERSION) {
      return this.#error(message, undefined, new ProtocolVersionError(message.v, PROTOCOL_VERSION), false);
    }
    if (this.#earlyCancels.size > 0 && this.#earlyCancels.delete(message.id)) return this.#cancelledAnswer(message);
    if ("fn" in message) return this.#runIndexed(message.fn, message);
    // Most runs call one function over and over: remembering the last one saves building
    // and hashing the cache key per call.
    if (message.exportName === this.#lastExport && message.module === this.#lastModule) {
      return this.#invoke(this.#lastFn!, message, message.module);
    }
    // The message carries `module` and `exportName`, which is all the cache looks at.
    const fn = loadedFunction(message as unknown as FunctionRef);
    if (fn !== undefined) {
      this.#lastModule = message.module;
      this.#lastExport = message.exportName;
      this.#lastFn = fn;
      return this.#invoke(fn, message, message.module);
    }
    return this.#loadThenInvoke(message as unknown as FunctionRef, message);
  }

  /**
   * Loads the function, then runs the call. The call counts as running while its module
   * loads, so a cancel that arrives meanwhile is not lost: the call is then not run at all.
   */
  #loadThenInvoke(ref: FunctionRef, message: AnyCallMessage, onLoaded?: (fn: AnyFunction) => void): Promise<AnswerMessage> {
    const context = new RunningCall(message.attempt, message.deadline);
    this.#running.set(message.id, context);
    return loadFunction(ref).then(
      (fn) => {
        onLoaded?.(fn);
        if (!context.cancelled) return this.#invoke(fn, message, ref.module, context);
        this.#running.delete(message.id);
        return this.#cancelledAnswer(message);
      },
      (error: unknown) => {
        this.#running.delete(message.id);
        return this.#error(message, ref.module, error, true);
      },
    );
  }

  #cancelledAnswer(message: AnyCallMessage): Promise<ErrorMessage> {
    return this.#error(message, undefined, new CancelledError("The call was cancelled before it started."), false);
  }

  #runIndexed(index: number, message: AnyCallMessage): AnswerMessage | Promise<AnswerMessage> {
    const fn = this.#definedFns[index];
    const ref = this.#defined[index];
    if (fn !== undefined) return this.#invoke(fn, message, ref!.module);
    if (ref === undefined) {
      const version = this.#badVersions[index];
      if (version !== undefined) return this.#error(message, undefined, new ProtocolVersionError(version, PROTOCOL_VERSION), false);
      const error = new Error(`Function number ${index} was called before it was defined on this connection.`);
      error.name = "ProtocolError";
      return this.#error(message, undefined, error, false);
    }
    const loaded = loadedFunction(ref);
    if (loaded !== undefined) {
      this.#definedFns[index] = loaded;
      return this.#invoke(loaded, message, ref.module);
    }
    return this.#loadThenInvoke(ref, message, (f) => {
      this.#definedFns[index] = f;
    });
  }

  /**
   * Aborts the signal of call `id` if it is running (or loading its module) and says so;
   * otherwise remembers the request, in case the call arrives later, and returns false.
   */
  cancel(id: number): boolean {
    const call = this.#running.get(id);
    if (call !== undefined) {
      call.cancel();
      return true;
    }
    this.#earlyCancels.add(id);
    if (this.#earlyCancels.size > EARLY_CANCELS) {
      this.#earlyCancels.delete(this.#earlyCancels.values().next().value as number);
    }
    return false;
  }

  /** Runs the call; `loading` is its context when it was registered while its module loaded. */
  #invoke(
    fn: AnyFunction,
    message: AnyCallMessage,
    module: string,
    loading?: RunningCall,
  ): AnswerMessage | Promise<AnswerMessage> {
    const context = loading ?? new RunningCall(message.attempt, message.deadline);
    const id = message.id;
    let out: unknown;
    try {
      out = runInTaskContext(context, () => fn(...message.args));
    } catch (error) {
      if (loading !== undefined) this.#running.delete(id);
      return this.#error(message, module, error, true);
    }
    if (out !== null && typeof out === "object" && typeof (out as PromiseLike<unknown>).then === "function") {
      // Only a call that yields can receive a cancel request while it runs.
      this.#running.set(id, context);
      return Promise.resolve(out).then(
        (value) => {
          this.#running.delete(id);
          return this.#result(message, value);
        },
        (error: unknown) => {
          this.#running.delete(id);
          return this.#error(message, module, error, true);
        },
      );
    }
    if (loading !== undefined) this.#running.delete(id);
    return this.#result(message, out);
  }

  #result(message: AnyCallMessage, value: unknown): AnswerMessage | Promise<AnswerMessage> {
    if (this.#checkResults) {
      const bad = quickUnsendable(value, "result");
      if (bad !== undefined) {
        return this.#error(message, undefined, new UnsendableValueError(bad.path, bad.value, this.#peer), false);
      }
    }
    const answer: ResultMessage = { type: "result", v: PROTOCOL_VERSION, id: message.id, value };
    return answer;
  }

  /**
   * The error answer. Errors from user code are encoded with the module's exports at hand,
   * so a class the module exports is rebuilt as that class on the main side.
   */
  #error(message: AnyCallMessage, module: string | undefined, error: unknown, fromUserCode: boolean): Promise<ErrorMessage> {
    const exportsOf =
      fromUserCode && module !== undefined
        ? (import(module) as Promise<Record<string, unknown>>).catch(() => undefined)
        : Promise.resolve(undefined);
    return exportsOf.then((exports) => ({
      type: "error",
      v: PROTOCOL_VERSION,
      id: message.id,
      error: encodeError(error, exports === undefined || module === undefined ? {} : { module, exports }),
    }));
  }
}

/**
 * The answer for a call whose own answer could not be sent (its result held a function, say):
 * an `UnsendableValueError` naming the path, found with `find`.
 *
 * @example
 * ```ts
 * try { process.send(answer); } catch { process.send(unsendableAnswer(answer, findUnsendable)); }
 * ```
 */
export function unsendableAnswer(
  answer: AnswerMessage,
  find: (value: unknown, path: string) => { path: string; value: unknown } | undefined,
  peer = "the main side",
  cause?: unknown,
): ErrorMessage {
  const root = answer.type === "result" ? answer.value : answer.error;
  const bad = find(root, answer.type === "result" ? "result" : "error");
  // Nothing unsendable inside: the send failed for another reason (size, say), which is the error.
  const error =
    bad !== undefined
      ? new UnsendableValueError(bad.path, bad.value, peer, { cause })
      : cause instanceof Error
        ? cause
        : new UnsendableValueError("result", root, peer, { cause });
  return { type: "error", v: PROTOCOL_VERSION, id: answer.id, error: encodeError(error) };
}
