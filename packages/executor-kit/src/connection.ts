/**
 * The transport seam: what `WorkerPool` needs from one worker connection, whatever carries
 * it (a child's IPC channel, a thread's port, a WebSocket). A transport implements this and
 * a spawner; the pool does everything else.
 */

import type { ToWorkerMessage, WorkerCrashedError, WorkerLostError } from "@amltk/task/worker";

/** How a connection ended, as the calls it was running should fail. */
export interface WorkerLoss {
  /** The error for the calls that were running: a crash (with exit code, stderr) or a loss. */
  readonly error: WorkerCrashedError | WorkerLostError;
}

/**
 * One worker, as the pool drives it.
 *
 * @example
 * ```ts
 * const connection: WorkerConnection = {
 *   label: "memory worker 1",
 *   post: (message) => outbox.push(message),
 *   flush: () => port.postMessage(outbox.splice(0)),
 *   onMessage: (handler) => port.on("message", handler),
 *   onClose: (handler) => port.once("close", () => handler({ error: new WorkerLostError("port closed") })),
 *   close: async () => port.postMessage([{ type: "close", reason: "shutdown" }]),
 *   terminate: () => port.close(),
 * };
 * ```
 */
export interface WorkerConnection {
  /** How errors and renderings name this worker, such as `"process 4242"`. */
  readonly label: string;
  /**
   * Queues `message` for the worker; `flush` writes what was queued. Must throw, having
   * queued nothing, when the message holds a value the transport cannot carry, so that one
   * bad argument fails one call.
   */
  post(message: ToWorkerMessage): void;
  /** Writes the queued messages (the pool calls it once per tick per worker). */
  flush(): void;
  /** Registers the one handler for raw messages from the worker (the pool validates them). */
  onMessage(handler: (raw: unknown) => void): void;
  /**
   * Registers the one handler for the end of the connection, called once, after every
   * message the worker sent has been handed to `onMessage` (and, for processes, after its
   * output has been forwarded).
   */
  onClose(handler: (loss: WorkerLoss) => void): void;
  /**
   * Says goodbye (the worker finishes what it holds and exits) and resolves once it is
   * gone; terminates it if it is not gone after `graceMs`.
   */
  close(graceMs: number): Promise<void>;
  /**
   * Ends the worker now, for a call that did not return within its cancel grace. A transport
   * may escalate (SIGTERM, then SIGKILL after `graceMs`).
   */
  terminate(graceMs: number): void;
}

/**
 * Starts workers. Throws (or returns a connection that closes at once) when a worker cannot
 * be started; the pool counts that towards its boot-failure limit.
 *
 * @example
 * ```ts
 * const spawner: WorkerSpawner = { spawn: () => new ChildConnection(fork(CHILD)) };
 * ```
 */
export interface WorkerSpawner {
  spawn(): WorkerConnection;
}
