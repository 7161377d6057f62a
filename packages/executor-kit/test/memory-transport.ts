/**
 * The example transport of the README: a worker in this thread, on the far end of a
 * `MessageChannel`, served by `serveWorker`. About sixty lines is all a transport takes;
 * `WorkerPool` does the rest.
 */
import { MessageChannel } from "node:worker_threads";
import { WorkerPool, type WorkerConnection, type WorkerLoss } from "@amltk/executor-kit";
import type { Executor, SubmitOptions } from "@amltk/scheduler";
import type { Call } from "@amltk/task";
import { WorkerLostError, serveWorker, type ToWorkerMessage } from "@amltk/task/worker";

let workers = 0;

/** One in-memory worker. `kill()` drops it as a crash would. */
export class MemoryConnection implements WorkerConnection {
  readonly label = `memory worker ${++workers}`;
  readonly #channel = new MessageChannel();
  #outbox: ToWorkerMessage[] = [];
  #onClose: ((loss: WorkerLoss) => void) | undefined;
  #closed = false;

  /** @param hello rewrites the worker's `hello` (null: never sends it), for tests. */
  constructor(hello?: (message: object) => object | null) {
    const { port1: worker } = this.#channel;
    const send = (m: { type: string }) => {
      const out = hello === undefined || m.type !== "hello" ? m : hello(m);
      if (out !== null) worker.postMessage(out);
    };
    serveWorker(
      { send, onMessage: (h) => worker.on("message", h) },
      { catchUncaught: false, onClose: () => this.kill() },
    );
  }

  post(message: ToWorkerMessage): void {
    structuredClone(message); // throws, queuing nothing, for what cannot cross
    this.#outbox.push(message);
  }

  flush(): void {
    for (const message of this.#outbox.splice(0)) this.#channel.port2.postMessage(message);
  }

  onMessage(handler: (raw: unknown) => void): void {
    this.#channel.port2.on("message", handler);
  }

  onClose(handler: (loss: WorkerLoss) => void): void {
    this.#onClose = handler;
  }

  async close(): Promise<void> {
    this.post({ type: "close", reason: "shutdown" });
    this.flush();
    await new Promise<void>((resolve) => this.#channel.port2.once("close", () => resolve()));
  }

  terminate(): void {
    this.kill();
  }

  kill(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#channel.port1.close();
    // Messages already posted are delivered before `close`: the loss comes after them.
    this.#channel.port2.once("close", () => this.#onClose?.({ error: new WorkerLostError(`${this.label} is gone.`) }));
  }
}

/** An executor on in-memory workers. */
export class MemoryExecutor implements Executor {
  readonly kind = "memory";
  readonly connections: MemoryConnection[] = [];
  readonly pool: WorkerPool;

  constructor(options: { maxWorkers?: number; prefetch?: number; spawn?: () => MemoryConnection } = {}) {
    const spawn = options.spawn ?? (() => new MemoryConnection());
    this.pool = new WorkerPool({
      kind: this.kind, maxWorkers: options.maxWorkers ?? 2, prefetch: options.prefetch ?? 4,
      maxTasksPerWorker: Number.POSITIVE_INFINITY, cancelGraceMs: 200, peer: "a memory worker",
      spawner: { spawn: () => { const c = spawn(); this.connections.push(c); return c; } },
    });
  }

  start(): Promise<void> { return this.pool.start(); }
  submit<R>(call: Call<R>, options: SubmitOptions): Promise<R> { return this.pool.submit(call, options); }
  shutdown(options: { wait: boolean }): Promise<void> { return this.pool.shutdown(options); }
  describe(): Record<string, unknown> { return this.pool.describe(); }
}
