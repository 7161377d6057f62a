/**
 * `ChildConnection`: one forked child process as a `WorkerConnection`. Messages cross the IPC
 * channel (ipc-codec.ts: JSON when exact, structured-clone bytes otherwise), those of one
 * tick as one array; stdout and stderr are forwarded line by line; the end of the
 * connection is the child's exit plus the end of its output, so no line is cut off.
 */

import { fork, type ChildProcess } from "node:child_process";
import type { WorkerConnection, WorkerLoss } from "@amltk/executor-kit";
import { WorkerCrashedError, WorkerLostError, WorkerMemoryLimitError, type ToWorkerMessage } from "@amltk/task/worker";
import { fromChannel, toChannel } from "./ipc-codec.js";
import { LineForwarder } from "./output.js";

/**
 * After the child exited, its pipes may stay open if it left a grandchild holding them; the
 * connection ends once they were quiet this long. Output that keeps flowing keeps it open.
 */
const PIPE_QUIET_MS = 1000;

/** What a child needs from the executor. */
export interface ChildOptions {
  readonly entry: string;
  readonly execArgv: string[];
  readonly env: Record<string, string | undefined> | undefined;
  readonly prefixOutput: boolean;
  readonly memoryLimitMb: number | undefined;
}

/** Resolves once `stream` closed, or once it was quiet `PIPE_QUIET_MS` after `since` resolved. */
function drained(streams: NodeJS.ReadableStream[], since: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let open = streams.length;
    let timer: NodeJS.Timeout | undefined;
    let exited = false;
    const quiet = () => {
      clearTimeout(timer);
      if (exited) timer = setTimeout(finish, PIPE_QUIET_MS);
    };
    const finish = () => {
      clearTimeout(timer);
      resolve();
    };
    for (const stream of streams) {
      stream.on("data", quiet);
      const closed = () => {
        if (--open === 0) finish();
      };
      stream.once("close", closed);
      stream.once("error", closed);
    }
    void since.then(() => {
      exited = true;
      quiet();
    });
  });
}

/**
 * One child process.
 *
 * @example
 * ```ts
 * const connection = new ChildConnection({ entry: CHILD, execArgv: [], env: undefined, prefixOutput: true, memoryLimitMb: undefined });
 * pool.add(connection);
 * ```
 */
export class ChildConnection implements WorkerConnection {
  readonly label: string;
  readonly pid: number;
  readonly #process: ChildProcess;
  readonly #stderr: LineForwarder;
  #outbox: object[] = [];
  #exited = false;
  #onClose: ((loss: WorkerLoss) => void) | undefined;
  #loss: WorkerLoss | undefined;
  readonly #closed: Promise<void>;
  #killTimer: NodeJS.Timeout | undefined;
  /** An error the child process emitted (a refused spawn, a failed send). */
  #error: unknown;

  /** @throws when the system refuses to create the process. */
  constructor(private readonly options: ChildOptions) {
    const child = fork(options.entry, [], {
      execArgv: options.execArgv,
      ...(options.env === undefined ? {} : { env: options.env }),
      // JSON is the fast path; toChannel() packs whatever JSON would not carry exactly.
      serialization: "json",
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    // Attached first: a refused spawn (EMFILE, EAGAIN) emits `error`; with no listener it
    // would crash this process. Later errors are failed sends on a closed channel: the
    // child's exit does the bookkeeping.
    child.on("error", (error: unknown) => {
      this.#error ??= error;
    });
    if (child.pid === undefined || child.stdout === null || child.stderr === null) {
      throw new WorkerLostError("A worker process could not be started (the system refused to create it: too many open files or processes?).");
    }
    this.#process = child;
    this.pid = child.pid;
    this.label = `process ${child.pid}`;
    const prefix = options.prefixOutput ? `[worker ${child.pid}] ` : "";
    new LineForwarder(child.stdout, process.stdout, prefix, false);
    this.#stderr = new LineForwarder(child.stderr, process.stderr, prefix, true);
    // Not the child's `close` event: Node does not always emit it once the IPC channel was
    // disconnected. Exit, then the end of both pipes (so the last lines are forwarded).
    const exit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once("exit", (code, signal) => resolve([code, signal])));
    const output = drained([child.stdout, child.stderr], exit.then(() => undefined));
    this.#closed = Promise.all([exit, output]).then(([[code, signal]]) => {
      this.#exited = true;
      clearTimeout(this.#killTimer);
      this.#loss = { error: this.#lossError(code, signal) };
      this.#onClose?.(this.#loss);
    });
  }

  post(message: ToWorkerMessage): void {
    // Throws here, having queued nothing, for what the channel cannot carry.
    this.#outbox.push(toChannel(message));
  }

  flush(): void {
    const out = this.#outbox;
    if (out.length === 0) return;
    this.#outbox = [];
    if (this.#process.connected) this.#process.send(out.length === 1 ? out[0]! : out);
  }

  onMessage(handler: (raw: unknown) => void): void {
    this.#process.on("message", (received: unknown) => {
      // The child writes the messages of one flush as one array.
      if (Array.isArray(received)) for (const each of received) handler(fromChannel(each));
      else handler(fromChannel(received));
    });
  }

  onClose(handler: (loss: WorkerLoss) => void): void {
    this.#onClose = handler;
    if (this.#loss !== undefined) handler(this.#loss);
  }

  close(graceMs: number): Promise<void> {
    if (!this.#exited) {
      this.post({ type: "close", reason: "The pool let this worker go." });
      this.flush();
      // Closing the channel is the child's cue too, should the close message be lost.
      if (this.#process.connected) this.#process.disconnect();
      clearTimeout(this.#killTimer);
      this.#killTimer = setTimeout(() => this.#kill("SIGKILL"), graceMs);
    }
    return this.#closed;
  }

  terminate(graceMs: number): void {
    this.#kill("SIGTERM");
    clearTimeout(this.#killTimer);
    this.#killTimer = setTimeout(() => this.#kill("SIGKILL"), graceMs);
  }

  /** Runs `callback` once the child is gone and its output forwarded. */
  onExit(callback: () => void): void {
    void this.#closed.then(callback);
  }

  /** Kills the child at once (the parent is exiting). */
  kill(): void {
    this.#kill("SIGKILL");
  }

  #kill(signal: NodeJS.Signals): void {
    if (!this.#exited) this.#process.kill(signal);
  }

  #lossError(code: number | null, signal: NodeJS.Signals | null): WorkerCrashedError {
    const stderr = this.#stderr.tail();
    const exit = { exitCode: code, signal, stderr, worker: this.label };
    if (/heap out of memory|Allocation failed|Reached heap limit/i.test(stderr)) {
      const { memoryLimitMb } = this.options;
      return new WorkerMemoryLimitError(exit, memoryLimitMb === undefined ? {} : { limit: `memoryLimitMb: ${memoryLimitMb}` });
    }
    return new WorkerCrashedError(exit, this.#error === undefined ? undefined : { cause: this.#error });
  }
}
