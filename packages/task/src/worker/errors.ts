/**
 * The typed errors of out-of-process executors: a worker that crashed or vanished, a memory
 * limit overrun, a value the transport cannot carry, a plain function where a reference is
 * needed, and a peer speaking another protocol version. Each has a stable `name` and `code`,
 * and each is registered with the error codec, so it survives a hop between workers too.
 */

import { AmltkError, describeValue } from "@amltk/events";

/** How a worker ended: its exit code or the signal that killed it (one of them is null). */
export interface WorkerExit {
  /** The exit code, or null when a signal ended the worker. */
  readonly exitCode: number | null;
  /** The signal that ended the worker (processes), or null. */
  readonly signal: string | null;
  /** The last lines the worker wrote to stderr, when the transport can see them. */
  readonly stderr?: string;
  /** A short worker label for messages, e.g. `process 4242` or `thread 3`. */
  readonly worker?: string;
}

function exitText(exit: WorkerExit): string {
  const who = exit.worker === undefined ? "The worker" : `The worker (${exit.worker})`;
  const how =
    exit.signal !== null && exit.signal !== undefined
      ? `was killed by ${exit.signal}`
      : exit.exitCode === null || exit.exitCode === undefined
        ? "died"
        : `exited with code ${exit.exitCode}`;
  const tail = exit.stderr !== undefined && exit.stderr.trim() !== "" ? `\nLast lines of its stderr:\n${exit.stderr.trimEnd()}` : "";
  return `${who} ${how} while running this call.${tail}`;
}

/**
 * The worker running a call crashed or exited before answering: `process.exit()` in user
 * code, an uncaught error in a timer, a native crash. The executor replaces the worker and
 * the run goes on; only this call fails.
 *
 * @example
 * ```ts
 * task.onException((_future, error) => {
 *   if (error instanceof WorkerCrashedError) console.error(error.exitCode, error.stderr);
 * });
 * ```
 */
export class WorkerCrashedError extends AmltkError {
  override readonly name: string = "WorkerCrashedError";
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The last lines of the worker's stderr (processes), or "". */
  readonly stderr: string;

  constructor(exit: WorkerExit, options?: { cause?: unknown; message?: string; code?: string }) {
    super(options?.message ?? exitText(exit), {
      cause: options?.cause,
      code: options?.code ?? "ERR_AMLTK_WORKER_CRASHED",
    });
    this.exitCode = exit.exitCode;
    this.signal = exit.signal;
    this.stderr = exit.stderr ?? "";
  }
}

/**
 * The worker running a call ran out of the memory it was allowed (`memoryLimitMb` for
 * processes, `resourceLimits` for threads). A `WorkerCrashedError`, so code that handles
 * crashes handles this too.
 *
 * @example
 * ```ts
 * const onException = new Map([[WorkerMemoryLimitError, "continue"]]);
 * await scheduler.run({ onException });
 * ```
 */
export class WorkerMemoryLimitError extends WorkerCrashedError {
  override readonly name: string = "WorkerMemoryLimitError";

  constructor(exit: WorkerExit, options?: { cause?: unknown; limit?: string }) {
    const limit = options?.limit === undefined ? "" : ` (${options.limit})`;
    super(exit, {
      cause: options?.cause,
      code: "ERR_AMLTK_WORKER_MEMORY_LIMIT",
      message: `The worker running this call ran out of memory${limit} and was ended. ${exitText(exit)}`,
    });
  }
}

/**
 * The executor lost contact with the worker running a call without seeing it exit: its
 * channel closed, or it could not be started or reached.
 *
 * @example
 * ```ts
 * if (error instanceof WorkerLostError) resubmit();
 * ```
 */
export class WorkerLostError extends AmltkError {
  override readonly name: string = "WorkerLostError";
  constructor(message = "The executor lost the worker running this call.", options?: { cause?: unknown }) {
    super(message, { cause: options?.cause, code: "ERR_AMLTK_WORKER_LOST" });
  }
}

/** `describeValue`, which reads the prototype: a Proxy's trap may throw there. */
function safeDescribe(value: unknown): string {
  try {
    return describeValue(value);
  } catch {
    return "an object whose prototype cannot be read (a Proxy?)";
  }
}

/**
 * An argument or result that the transport cannot carry (a function, a symbol, a socket or
 * another object holding a native resource). Only that call fails; `path` names the value,
 * e.g. `args[1].onProgress` or `result.model.predict`.
 *
 * @example
 * ```ts
 * scheduler.submit(work.fit, { onProgress: () => {} });
 * // the call fails: UnsendableValueError: Cannot send args[0].onProgress (function onProgress) ...
 * ```
 */
export class UnsendableValueError extends AmltkError {
  override readonly name: string = "UnsendableValueError";
  /** Where the value sits, such as `args[0].onProgress`. */
  readonly path: string;

  /**
   * @param options.reason Why the value cannot be sent, when it is not the usual "functions,
   *   symbols and native resources" (a getter that threw, nesting too deep, a class instance).
   */
  constructor(path: string, value: unknown, transport = "the worker", options?: { cause?: unknown; reason?: string }) {
    super(
      `Cannot send ${path} (${safeDescribe(value)}) to ${transport}: ` +
        (options?.reason ??
          "functions, symbols and objects that hold native resources (sockets, handles, ports) cannot cross a thread or process boundary") +
        ". Send plain data and rebuild the value inside the function.",
      { cause: options?.cause, code: "ERR_AMLTK_UNSENDABLE_VALUE" },
    );
    this.path = path;
  }
}

/**
 * A plain function was submitted to an executor that runs calls in another thread, process
 * or machine. JavaScript cannot ship a closure there; export the function from a module and
 * submit its reference from `fromModule` instead. Thrown by `submit`.
 *
 * @example
 * ```ts
 * scheduler.submit((x: number) => x + 1, 1); // throws FunctionRefRequiredError on threads
 * const work = fromModule<typeof import("./work.js")>(new URL("./work.js", import.meta.url));
 * scheduler.submit(work.increment, 1); // fine
 * ```
 */
export class FunctionRefRequiredError extends AmltkError {
  override readonly name: string = "FunctionRefRequiredError";
  constructor(executor: string, fn: unknown) {
    const label = typeof fn === "function" ? `function ${fn.name || "(anonymous)"}` : describeValue(fn);
    super(
      `The ${executor} executor runs functions by reference and cannot send ${label} to a worker. ` +
        "Export the function from a module and submit the reference from fromModule: " +
        'const work = fromModule<typeof import("./work.js")>(new URL("./work.js", import.meta.url)); ' +
        "scheduler.submit(work.myFunction, ...args).",
      { code: "ERR_AMLTK_FUNCTION_REF_REQUIRED" },
    );
  }
}

/**
 * A peer sent a message of another protocol version (an old worker, a newer main side).
 *
 * @example
 * ```ts
 * if (message.v !== PROTOCOL_VERSION) throw new ProtocolVersionError(message.v, PROTOCOL_VERSION);
 * ```
 */
export class ProtocolVersionError extends AmltkError {
  override readonly name: string = "ProtocolVersionError";
  readonly received: unknown;
  readonly expected: number;
  constructor(received: unknown, expected: number) {
    super(
      `Received a worker protocol message of version ${String(received)}, but this side speaks version ${expected}. ` +
        "Install the same version of the amltk packages on both sides.",
      { code: "ERR_AMLTK_PROTOCOL_VERSION" },
    );
    this.received = received;
    this.expected = expected;
  }
}

/**
 * A peer sent something that is not a valid protocol message: an unknown type, a missing or
 * mistyped field, a message out of order. `parseMessage` throws it naming what is wrong; a
 * transport closes that one connection and the rest of the pool goes on.
 *
 * @example
 * ```ts
 * try { parseMessage(raw, "to-worker"); }
 * catch (error) { if (error instanceof ProtocolError) connection.close(error.message); }
 * ```
 */
export class ProtocolError extends AmltkError {
  override readonly name: string = "ProtocolError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { cause: options?.cause, code: "ERR_AMLTK_PROTOCOL" });
  }
}
