/**
 * `serveWorker(endpoint)`: the worker side of every transport, written once. It says `hello`,
 * validates every incoming message, numbers functions (`define`), runs calls (at most `slots`
 * at a time, the rest queued in order), tells the main side when each call starts, carries
 * Comm both ways, honours cancel and withdraw, and attributes errors that escape a call (a
 * timer that throws later) to that call or reports them, instead of crashing the worker or
 * failing the next call. A worker entry (thread, child process, remote worker, SLURM job) is
 * glue around it: how messages cross, and what to do on `close`.
 *
 * Ordering rules (PROTOCOL.md, "Order"): `started` precedes a call's Comm messages, which
 * precede its answer; a worker does not start its next call before the previous answer has
 * left (`endpoint.flush`), so a call that kills the worker cannot take an earlier answer with it.
 */

import { hostname } from "node:os";
import { threadId as currentThreadId } from "node:worker_threads";
import { currentTaskContext, runInTaskContext } from "../context.js";
import { CancelledError } from "../errors.js";
import { loadFunction, loadedFunction, type AnyFunction, type FunctionRef } from "../function-ref.js";
import { WorkerCallContext } from "./call-context.js";
import { Deque } from "./deque.js";
import { decodeError, encodeError } from "./error-codec.js";
import { ProtocolError, UnsendableValueError } from "./errors.js";
import { parseMessage } from "./parse.js";
import {
  PROTOCOL_VERSION,
  type AnswerMessage,
  type CallMessage,
  type ErrorMessage,
  type FromWorkerMessage,
  type HelloMessage,
  type ToWorkerMessage,
} from "./protocol.js";
import { findUnsendable, quickUnsendable, type Unsendable } from "./sendable.js";

/** How a worker's messages reach the main side, and how the main side's reach it. */
export interface WorkerEndpoint {
  /**
   * Hands `message` to the transport. May hold it until `flush` (or the end of the tick).
   * Throws, without sending anything, for a value the transport cannot carry.
   */
  send(message: FromWorkerMessage): void;
  /**
   * Writes what `send` held and calls `sent` once it has left this worker (at once, or when
   * the write completed). The next call starts only after that.
   * @default sends nothing more and calls `sent` at once
   */
  flush?(sent: () => void): void;
  /** Registers the one handler for raw messages from the main side. */
  onMessage(handler: (raw: unknown) => void): void;
}

/** Options for `serveWorker`. */
export interface ServeWorkerOptions {
  /**
   * Calls run at the same time.
   * @default 1
   */
  readonly slots?: number;
  /**
   * The peer's name in error messages, such as `"the parent process"`.
   * @default "the main side"
   */
  readonly peer?: string;
  /** A name for this worker, sent in `hello` and shown in renderings. */
  readonly name?: string;
  /**
   * Check values (results, Comm data) before `send`, for transports that would crash on a
   * value they cannot carry instead of throwing (a pool that posts answers itself).
   * @default false
   */
  readonly checkValues?: boolean;
  /**
   * Attribute uncaught exceptions and unhandled rejections of this process or thread to the
   * call they came from (failing it if it still runs, reporting a `warning` if it finished)
   * instead of letting them end the worker. Turn off only where the host handles them.
   * @default true
   */
  readonly catchUncaught?: boolean;
  /**
   * Called once the main side said `close` and every call this worker held is answered.
   * @default nothing: the glue decides how to exit
   */
  readonly onClose?: (reason: string) => void;
}

/** A running worker: its counters, and a way to feed it messages by hand. */
export interface WorkerServer {
  /** Handles one raw message from the main side, as the endpoint's handler does. */
  receive(raw: unknown): void;
  /** Calls running (or loading their module). */
  readonly running: number;
  /** Calls waiting for a slot. */
  readonly queued: number;
}

/**
 * How many cancels of calls this worker has not seen yet are remembered. A transport that
 * broadcasts cancels (threads) sends every worker every cancel, so the memory is bounded.
 */
const EARLY_CANCELS = 256;

/**
 * Comm messages leave at once, except within this many milliseconds of the last Comm flush
 * (then they wait for the end of the tick, or the next message after the window): a burst is
 * batched, and a long synchronous call still gets its messages out while it runs.
 */
const COMM_FLUSH_MS = 20;

/**
 * A function whose calls averaged under this many ms starts "quietly": its `started` is not
 * written on its own before the function runs, but with whatever leaves next (its answer,
 * usually), saving a write per call where a call costs about as much as a write. Every other
 * call (the first of each function, a slow one) has its `started` on the way before it runs.
 */
const QUIET_START_MS = 1;

class Running {
  /** Answered (or failed by an escaped error): whatever the function does later is dropped. */
  answered = false;
  fn: AnyFunction | undefined;
  startedAt = 0;
  constructor(
    readonly message: CallMessage,
    readonly context: WorkerCallContext,
    readonly module: string,
  ) {}
}

/**
 * Serves the worker protocol on `endpoint` until the process or thread ends.
 *
 * @example
 * ```ts
 * // a child process's whole entry point:
 * import { serveWorker } from "@amltk/task/worker";
 * serveWorker(
 *   { send: (m) => process.send!(m), onMessage: (h) => process.on("message", h) },
 *   { peer: "the parent process", onClose: () => process.exit(0) },
 * );
 * ```
 */
export function serveWorker(endpoint: WorkerEndpoint, options: ServeWorkerOptions = {}): WorkerServer {
  return new Server(endpoint, options);
}

class Server implements WorkerServer {
  readonly #endpoint: WorkerEndpoint;
  readonly #slots: number;
  readonly #peer: string;
  readonly #checkValues: boolean;
  readonly #onClose: ((reason: string) => void) | undefined;
  readonly #defined: Array<FunctionRef | undefined> = [];
  readonly #definedFns: Array<AnyFunction | undefined> = [];
  readonly #running = new Map<number, Running>();
  /** Calls waiting for a slot. */
  readonly #queue = new Deque<CallMessage>();
  readonly #earlyCancels = new Set<number>();
  /** Set while a flush (or an error answer's encoding) is in progress: nothing starts meanwhile. */
  #flushing = false;
  /** Error answers being encoded. */
  #encoding = 0;
  /** Whether the endpoint holds messages not flushed yet. */
  #unsent = false;
  /** Whether it holds more than quiet `started`s: then the next call waits for a flush. */
  #mustFlush = false;
  /** Average run time per function, for quiet starts. */
  readonly #durations = new WeakMap<AnyFunction, number>();
  #tickFlush = false;
  #pumping = false;
  #again = false;
  /** When Comm last flushed; answers and `started` do not count, or a message sent right after starting would wait for the call to return. */
  #lastCommFlush = Number.NEGATIVE_INFINITY;
  /** Calls whose `started` was sent: they run once it has left. */
  #ready: Array<[Running, AnyFunction]> = [];
  /** Whether every call in `#ready` starts quietly. */
  #readyQuiet = true;
  #closing: string | undefined;

  constructor(endpoint: WorkerEndpoint, options: ServeWorkerOptions) {
    this.#endpoint = endpoint;
    this.#slots = options.slots ?? 1;
    this.#peer = options.peer ?? "the main side";
    this.#checkValues = options.checkValues ?? false;
    this.#onClose = options.onClose;
    if (options.catchUncaught !== false) this.#catchUncaught();
    endpoint.onMessage((raw) => this.receive(raw));
    const hello: HelloMessage = {
      type: "hello",
      v: PROTOCOL_VERSION,
      slots: this.#slots,
      pid: process.pid,
      host: hostname(),
      ...(currentThreadId === 0 ? {} : { threadId: currentThreadId }),
      ...(options.name === undefined ? {} : { name: options.name }),
      features: ["started", "comm", "withdraw"],
    };
    this.#send(hello);
  }

  get running(): number {
    return this.#running.size;
  }

  get queued(): number {
    return this.#queue.length;
  }

  receive(raw: unknown): void {
    let message: ToWorkerMessage;
    try {
      message = parseMessage(raw, "to-worker");
    } catch (error) {
      this.#refuse(raw, error as ProtocolError);
      return;
    }
    switch (message.type) {
      case "call":
        this.#push(message);
        break;
      case "define":
        this.#defined[message.fn] = { kind: "amltk:function-ref", module: message.module, exportName: message.exportName } as FunctionRef;
        this.#definedFns[message.fn] = undefined;
        break;
      case "cancel":
        this.#cancel(message.id);
        break;
      case "withdraw":
        this.#drop(message.id, "The call was withdrawn before it started.");
        break;
      case "response": {
        const running = this.#running.get(message.id);
        if (running === undefined) break;
        if (message.ok) running.context.answer(message.rid, true, message.value);
        else running.context.answer(message.rid, false, decodeError(message.error));
        break;
      }
      case "ping":
        this.#send({ type: "pong", t: message.t });
        break;
      case "welcome":
        if (message.v !== PROTOCOL_VERSION) {
          this.#warn(`The main side welcomed this worker with protocol version ${message.v}; this worker speaks ${PROTOCOL_VERSION}.`);
        }
        break;
      case "close":
        this.#closing = message.reason;
        this.#closeIfDone();
        break;
      case "pong":
        break;
    }
  }

  /**
   * A message that failed validation. A malformed call with an id is answered (its future
   * must not hang); anything else is reported once as a warning.
   */
  #refuse(raw: unknown, error: ProtocolError): void {
    const id = (raw as { id?: unknown } | null)?.id;
    if ((raw as { type?: unknown } | null)?.type === "call" && typeof id === "number" && Number.isSafeInteger(id)) {
      this.#answer(this.#errorAnswer(id, error));
      return;
    }
    this.#warn(`Ignored a message from ${this.#peer}: ${error.message}`);
  }

  #push(message: CallMessage): void {
    if (this.#earlyCancels.size > 0 && this.#earlyCancels.delete(message.id)) {
      this.#answer(this.#errorAnswer(message.id, new CancelledError("The call was cancelled before it started.")));
      return;
    }
    this.#queue.push(message);
    this.#pump();
  }

  /**
   * Starts queued calls while slots are free and no answer is leaving. A loop, not recursion:
   * a long queue of synchronous calls must not grow the stack. Each started call's `started`
   * leaves together with the previous answer in one flush, and the function runs only once
   * that flush is done.
   */
  #pump(): void {
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#again = false;
        while (!this.#flushing && this.#running.size < this.#slots && this.#queue.length > 0) {
          this.#start(this.#queue.shift()!);
        }
        if (this.#ready.length > 0 && !this.#flushing && this.#readyQuiet && !this.#mustFlush) {
          // Nothing but quiet `started`s waits to leave: no answer can be lost by running now.
          const ready = this.#ready;
          this.#ready = [];
          for (const [running, fn] of ready) this.#invoke(running, fn);
          this.#again = true;
        } else if (this.#ready.length > 0 && !this.#flushing) {
          const ready = this.#ready;
          this.#ready = [];
          this.#readyQuiet = true;
          this.#flushing = true;
          this.#flush(() => {
            this.#flushing = false;
            for (const [running, fn] of ready) this.#invoke(running, fn);
            this.#pump();
          });
        } else if (this.#unsent && !this.#flushing) {
          this.#flush(noop);
        }
      } while (this.#again);
    } finally {
      this.#pumping = false;
    }
    this.#closeIfDone();
  }

  #start(message: CallMessage): void {
    const ref = this.#ref(message);
    if (ref instanceof Error) {
      this.#answer(this.#errorAnswer(message.id, ref));
      return;
    }
    const context = new WorkerCallContext(message.id, message.attempt, message.deadline, this.#hooks);
    const running = new Running(message, context, ref.module);
    this.#running.set(message.id, running);
    const fn = typeof message.fn === "number" ? (this.#definedFns[message.fn] ?? loadedFunction(ref)) : loadedFunction(ref);
    if (fn !== undefined) {
      this.#ready.push([running, fn]);
      const average = this.#durations.get(fn);
      if (average !== undefined && average < QUIET_START_MS) {
        this.#endpoint.send({ type: "started", id: message.id });
        this.#unsent = true;
      } else {
        this.#readyQuiet = false;
        this.#send({ type: "started", id: message.id });
      }
      return;
    }
    // The call holds its slot while its module loads, so a cancel meanwhile is not lost.
    loadFunction(ref).then(
      (loaded) => {
        if (typeof message.fn === "number") this.#definedFns[message.fn] = loaded;
        if (running.answered) return;
        if (context.cancelled) {
          this.#finish(running, this.#errorAnswer(message.id, new CancelledError("The call was cancelled before it started.")));
        } else {
          this.#ready.push([running, loaded]);
          this.#readyQuiet = false;
          this.#send({ type: "started", id: message.id });
        }
        this.#pump();
      },
      (error: unknown) => {
        if (!running.answered) this.#finish(running, this.#errorAnswer(message.id, error, ref.module));
        this.#pump();
      },
    );
  }

  #ref(message: CallMessage): FunctionRef | Error {
    if (typeof message.fn === "number") {
      const ref = this.#defined[message.fn];
      return ref ?? new ProtocolError(`Function number ${message.fn} was called before a "define" numbered it on this connection.`);
    }
    return { kind: "amltk:function-ref", module: message.module!, exportName: message.exportName! } as FunctionRef;
  }

  /** Runs the call; its `started` has left already. */
  #invoke(running: Running, fn: AnyFunction): void {
    const { message, context } = running;
    if (running.answered) return;
    if (context.cancelled) {
      // Cancelled between `started` and now: the function never ran.
      this.#finish(running, this.#errorAnswer(message.id, new CancelledError("The call was cancelled before it started.")));
      return;
    }
    running.fn = fn;
    running.startedAt = performance.now();
    let out: unknown;
    try {
      out = runInTaskContext(context, () => fn(...message.args));
    } catch (error) {
      this.#finish(running, this.#errorAnswer(message.id, error, running.module));
      return;
    }
    if (out !== null && typeof out === "object" && typeof (out as PromiseLike<unknown>).then === "function") {
      Promise.resolve(out).then(
        (value) => {
          if (!running.answered) this.#finish(running, this.#resultAnswer(message.id, value));
        },
        (error: unknown) => {
          if (!running.answered) this.#finish(running, this.#errorAnswer(message.id, error, running.module));
        },
      );
    } else {
      this.#finish(running, this.#resultAnswer(message.id, out));
    }
  }

  #finish(running: Running, answer: AnswerMessage | Promise<AnswerMessage>): void {
    running.answered = true;
    const { fn } = running;
    if (fn !== undefined) {
      const ms = performance.now() - running.startedAt;
      const average = this.#durations.get(fn);
      this.#durations.set(fn, average === undefined ? ms : average * 0.8 + ms * 0.2);
    }
    running.context.end();
    this.#running.delete(running.message.id);
    this.#answer(answer);
  }

  /**
   * Sends an answer; it leaves with the next flush, before the next call runs. An error
   * answer is a promise (its class may need the module's exports): nothing starts until it
   * is sent, so answers leave in the order the calls ended.
   */
  #answer(answer: AnswerMessage | Promise<AnswerMessage>): void {
    if (answer instanceof Promise) {
      this.#encoding++;
      this.#flushing = true;
      void answer.then((a) => {
        if (--this.#encoding === 0) this.#flushing = false;
        this.#answer(a);
      });
      return;
    }
    try {
      this.#endpoint.send(answer);
      this.#unsent = true;
      this.#mustFlush = true;
    } catch (error) {
      // Nothing was sent: say which part of the answer could not be carried.
      this.#send(this.#unsendable(answer, error));
    }
    this.#pump();
  }

  /** Sends `message`; it leaves at the next flush, at the latest at the end of this tick. */
  #send(message: FromWorkerMessage): void {
    this.#endpoint.send(message);
    this.#unsent = true;
    this.#mustFlush = true;
    if (!this.#pumping && !this.#tickFlush) {
      this.#tickFlush = true;
      process.nextTick(this.#flushAtTickEnd);
    }
  }

  readonly #flushAtTickEnd = () => {
    this.#tickFlush = false;
    if (this.#unsent && !this.#flushing) this.#flush(noop);
  };

  #flush(sent: () => void): void {
    this.#unsent = false;
    this.#mustFlush = false;
    if (this.#endpoint.flush === undefined) sent();
    else this.#endpoint.flush(sent);
  }

  #resultAnswer(id: number, value: unknown): AnswerMessage {
    if (this.#checkValues) {
      const bad = quickUnsendable(value, "result");
      if (bad !== undefined) return this.#unsendableError(id, bad);
    }
    return { type: "result", id, value };
  }

  /**
   * The error answer. Errors from user code are encoded with the module's exports at hand,
   * so a class the module exports is rebuilt as that class on the main side.
   */
  #errorAnswer(id: number, error: unknown, module?: string): Promise<ErrorMessage> {
    const exportsOf =
      module === undefined ? Promise.resolve(undefined) : (import(module) as Promise<Record<string, unknown>>).catch(() => undefined);
    return exportsOf.then((exports) => ({
      type: "error",
      id,
      error: encodeError(error, exports === undefined || module === undefined ? {} : { module, exports }),
    }));
  }

  #unsendable(answer: AnswerMessage, cause: unknown): ErrorMessage {
    const root = answer.type === "result" ? answer.value : answer.error;
    const path = answer.type === "result" ? "result" : "error";
    const bad = safeFind(root, path) ?? { path, value: root };
    return this.#unsendableError(answer.id, bad, cause);
  }

  #unsendableError(id: number, bad: Unsendable, cause?: unknown): ErrorMessage {
    const error = new UnsendableValueError(bad.path, bad.value, this.#peer, cause === undefined ? undefined : { cause });
    return { type: "error", id, error: encodeError(error) };
  }

  #cancel(id: number): void {
    const running = this.#running.get(id);
    if (running !== undefined) {
      running.context.cancel(new CancelledError("The call was cancelled."));
      return;
    }
    if (this.#drop(id, "The call was cancelled before it started.")) return;
    this.#earlyCancels.add(id);
    if (this.#earlyCancels.size > EARLY_CANCELS) this.#earlyCancels.delete(this.#earlyCancels.values().next().value as number);
  }

  /** Drops queued call `id`, answering with a `CancelledError`; whether it was queued. */
  #drop(id: number, why: string): boolean {
    if (this.#queue.remove((message) => message.id === id) === undefined) return false;
    const answer: ErrorMessage = { type: "error", id, error: encodeError(new CancelledError(why)) };
    this.#send(answer);
    this.#closeIfDone();
    return true;
  }

  readonly #hooks = {
    message: (id: number, data: unknown) => this.#comm({ type: "message", id, data }, data),
    request: (id: number, rid: number, data: unknown) => {
      this.#comm({ type: "request", id, rid, data }, data);
      // A request is waited on: it leaves now.
      if (!this.#flushing) this.#flush(noop);
    },
  };

  #comm(message: FromWorkerMessage, data: unknown): void {
    if (this.#checkValues) {
      const bad = quickUnsendable(data, "data");
      if (bad !== undefined) throw new UnsendableValueError(bad.path, bad.value, this.#peer);
    }
    try {
      this.#send(message);
    } catch (error) {
      const bad = safeFind(data, "data") ?? { path: "data", value: data };
      throw new UnsendableValueError(bad.path, bad.value, this.#peer, { cause: error });
    }
    if (this.#flushing) return;
    const now = performance.now();
    if (now - this.#lastCommFlush < COMM_FLUSH_MS) return;
    this.#lastCommFlush = now;
    this.#flush(noop);
  }

  #warn(text: string, id?: number): void {
    this.#send(id === undefined ? { type: "warning", text } : { type: "warning", text, id });
  }

  #closeIfDone(): void {
    if (this.#closing === undefined || this.#running.size > 0 || this.#queue.length > 0 || this.#flushing) return;
    const reason = this.#closing;
    this.#closing = undefined;
    // The last answers leave before the glue is told to exit.
    this.#flush(() => this.#onClose?.(reason));
  }

  /**
   * An error no call caught. Thrown inside a call's async context (a timer it set, a promise
   * it dropped), it belongs to that call: a running call fails with it; a finished one is
   * reported as a warning, and the call running now is left alone.
   */
  #catchUncaught(): void {
    const escaped = (error: unknown, how: string) => {
      const context = currentTaskContext();
      const running = context instanceof WorkerCallContext ? this.#running.get(context.id) : undefined;
      if (running !== undefined && running.context === context) {
        this.#finish(running, this.#errorAnswer(running.message.id, error, running.module));
        return;
      }
      const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
      const who = context instanceof WorkerCallContext ? `call ${context.id}, which had already returned,` : "code outside any call";
      this.#warn(`${how} from ${who} (no call failed because of it): ${text}`, context instanceof WorkerCallContext ? context.id : undefined);
    };
    process.on("uncaughtException", (error) => escaped(error, "An uncaught exception"));
    process.on("unhandledRejection", (reason) => escaped(reason, "An unhandled promise rejection"));
  }
}

function noop(): void {}

/** The unsendable part of `value`, without letting a hostile getter throw out of the search. */
function safeFind(value: unknown, path: string): Unsendable | undefined {
  try {
    return findUnsendable(value, path);
  } catch (error) {
    return { path, value: error };
  }
}

