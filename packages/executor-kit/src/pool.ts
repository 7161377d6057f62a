/**
 * `WorkerPool`: everything an out-of-process executor does that does not depend on how bytes
 * cross. It owns the queue, least-loaded dispatch within each worker's slots, prefetch behind
 * calls expected to end soon, withdraw and rebalance when a worker idles while another holds
 * calls, requeue of calls a lost worker never started, function numbering, one write per
 * worker per tick, the boot-failure limit, cancel grace then terminate, shutdown tracking and
 * Comm routing. A transport supplies `WorkerConnection`s (from a spawner, or as workers join).
 */

import { ExecutorNotStartedError, type SubmitOptions } from "@amltk/scheduler";
import { CancelledError, Waiters, type Call, type FunctionRef } from "@amltk/task";
import {
  CrashGuard,
  Deque,
  PROTOCOL_VERSION,
  ProtocolVersionError,
  ShutdownTracker,
  UnsendableValueError,
  WorkerCrashedError,
  WorkerLostError,
  callMessage,
  decodeErrorAsync,
  defineMessage,
  encodeError,
  findUnsendable,
  parseMessage,
  requireFunctionRef,
  type ErrorMessage,
  type FromWorkerMessage,
  type RequestMessage,
  type ToWorkerMessage,
} from "@amltk/task/worker";
import type { WorkerConnection, WorkerLoss, WorkerSpawner } from "./connection.js";
import { CallDurations } from "./durations.js";

/** After this many workers in a row end before saying `hello`, queued calls fail instead. */
export const MAX_BOOT_FAILURES = 3;

/** How long a worker that was let go may take to exit before it is terminated. */
const EXIT_TIMEOUT_MS = 5000;

/** Options for `new WorkerPool()`. */
export interface WorkerPoolOptions {
  /** The executor's kind, for errors such as "the processes executor runs functions by reference". */
  readonly kind: string;
  /** Starts workers on demand, up to `maxWorkers`; without one, workers join with `add()`. */
  readonly spawner?: WorkerSpawner | undefined;
  /** Workers the spawner may run at once. */
  readonly maxWorkers: number;
  /** Calls a busy worker may hold beyond its slots (behind calls expected to end soon). */
  readonly prefetch: number;
  /** Calls a worker answers before it is replaced. */
  readonly maxTasksPerWorker: number;
  /** Milliseconds a cancelled running call has to return before its worker is terminated. */
  readonly cancelGraceMs: number;
  /** How the worker is named in `UnsendableValueError`, such as `"a worker process"`. */
  readonly peer: string;
}

class Job {
  settled = false;
  /** The worker the call was sent to (holding it, or running it). */
  worker: PoolWorker | undefined;
  started = false;
  startedAt = 0;
  /** Asked back so an idle worker can run it. */
  withdrawn = false;
  constructor(
    readonly call: Call<unknown>,
    readonly ref: FunctionRef,
    readonly fn: number,
    readonly options: SubmitOptions,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: unknown) => void,
  ) {}
}

/** The pool's view of one worker. */
class PoolWorker {
  /** From `hello`; one until then. */
  slots = 1;
  greeted = false;
  /** Let go (recycled, terminated or shut down): takes no more calls. */
  retiring = false;
  gone = false;
  /** Calls that started here. */
  readonly running = new Map<number, Job>();
  /** Calls sent here that have not started, in the order sent. */
  held: Job[] = [];
  /** Calls sent, counting towards `maxTasksPerWorker`; calls answered. */
  sent = 0;
  answered = 0;
  /** Which numbered functions this connection was told about. */
  readonly defined: boolean[] = [];
  readonly graceTimers = new Map<Job, NodeJS.Timeout>();
  closing: Promise<void> | undefined;
  constructor(readonly connection: WorkerConnection) {}

  get load(): number {
    return this.running.size + this.held.length;
  }

  get label(): string {
    return this.connection.label;
  }
}

/** A worker as renderings show it. */
export interface PoolWorkerInfo {
  readonly label: string;
  readonly slots: number;
  readonly running: number;
  readonly held: number;
  readonly answered: number;
}

/**
 * Runs calls on workers reached through `WorkerConnection`s.
 *
 * @example
 * ```ts
 * class MyExecutor implements Executor {
 *   readonly kind = "mine";
 *   readonly #pool = new WorkerPool({ kind: "mine", spawner: mySpawner, maxWorkers: 4, prefetch: 16,
 *     maxTasksPerWorker: Infinity, cancelGraceMs: 1000, peer: "a worker" });
 *   start() { return this.#pool.start(); }
 *   submit<R>(call: Call<R>, options: SubmitOptions) { return this.#pool.submit(call, options); }
 *   shutdown(options: { wait: boolean }) { return this.#pool.shutdown(options); }
 *   describe() { return this.#pool.describe(); }
 * }
 * ```
 */
export class WorkerPool {
  readonly options: WorkerPoolOptions;
  readonly #stopping = new ShutdownTracker();
  #started = false;
  readonly #workers = new Set<PoolWorker>();
  readonly #queue = new Deque<Job>();
  /** Calls sent to workers and not answered, by call id. */
  readonly #sent = new Map<number, Job>();
  readonly #drained = new Waiters();
  readonly #crashGuard = new CrashGuard();
  readonly #durations = new CallDurations();
  #bootFailures = 0;
  #lastBootError: Error | undefined;
  #completed = 0;
  #crashed = 0;
  #spawned = 0;
  readonly #fnNumbers = new Map<string, Map<string, number>>();
  #fnCount = 0;
  #lastRef: FunctionRef | undefined;
  #lastNumber = -1;
  readonly #toFlush: PoolWorker[] = [];
  readonly #flush = () => {
    const workers = this.#toFlush;
    for (let i = 0; i < workers.length; i++) {
      const worker = workers[i]!;
      if (!worker.gone) worker.connection.flush();
    }
    workers.length = 0;
  };

  constructor(options: WorkerPoolOptions) {
    this.options = options;
  }

  /** Connected workers (including ones exiting). */
  get size(): number {
    return this.#workers.size;
  }

  /** The workers, as renderings show them. */
  get workers(): PoolWorkerInfo[] {
    return [...this.#workers].map((w) => ({
      label: w.label,
      slots: w.slots,
      running: w.running.size,
      held: w.held.length,
      answered: w.answered,
    }));
  }

  /** Ready for calls; waits for a shutdown still in progress. */
  async start(): Promise<void> {
    await this.#stopping.settled();
    if (this.#started) return;
    this.#started = true;
    this.#bootFailures = 0;
  }

  /** Whether the pool takes calls. */
  get started(): boolean {
    return this.#started;
  }

  /** Runs `call` on a worker; rejects with the call's error, a worker error or `CancelledError`. */
  submit<R>(call: Call<R>, options: SubmitOptions): Promise<R> {
    const ref = requireFunctionRef(call.fn, this.options.kind);
    if (!this.#started) return Promise.reject(new ExecutorNotStartedError(this.options.kind));
    if (options.cancelRequested) return Promise.reject(new CancelledError("The call was cancelled before it was submitted."));
    return new Promise<R>((resolve, reject) => {
      const job = new Job(call as Call<unknown>, ref, this.#fnNumber(ref), options, resolve as (value: unknown) => void, reject);
      options.onCancel((reason) => this.#cancel(job, reason));
      this.#queue.push(job);
      this.#pump();
    });
  }

  /** Lets queued and running calls finish (or cancels them), then lets every worker go. */
  shutdown(options: { wait: boolean }): Promise<void> {
    return this.#stopping.track(this.#shutdown(options));
  }

  /** Adds a worker that connected by itself (remote workers); spawned ones are added too. */
  add(connection: WorkerConnection): void {
    this.#adopt(connection);
    this.#pump();
  }

  #adopt(connection: WorkerConnection): PoolWorker {
    const worker = new PoolWorker(connection);
    this.#workers.add(worker);
    connection.onMessage((raw) => this.#message(worker, raw));
    connection.onClose((loss) => this.#closed(worker, loss));
    return worker;
  }

  describe(): Record<string, unknown> {
    let busy = 0;
    let held = 0;
    for (const worker of this.#workers) {
      busy += worker.running.size;
      // Calls beyond a worker's slots wait in it: prefetched. Those within start there next.
      held += Math.max(0, worker.load - worker.slots);
    }
    return {
      maxWorkers: this.options.maxWorkers,
      workers: this.#workers.size,
      busy,
      prefetched: held,
      queued: this.#queue.length,
      completed: this.#completed,
      crashed: this.#crashed,
      spawned: this.#spawned,
    };
  }

  async #shutdown({ wait }: { wait: boolean }): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    if (!wait) {
      const reason = new CancelledError("The executor shut down.");
      for (const job of this.#queue.drain()) this.#cancel(job, reason);
      for (const job of [...this.#sent.values()]) this.#cancel(job, reason);
    }
    while (this.#sent.size > 0 || this.#queue.length > 0) await this.#drained.wait();
    await Promise.all([...this.#workers].map((worker) => this.#letGo(worker)));
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      const job = this.#queue.peek()!;
      if (job.settled) {
        this.#queue.shift();
        continue;
      }
      const refused = this.#crashGuard.refusal(job.ref.module);
      if (refused !== undefined) {
        this.#queue.shift();
        this.#settle(job, false, refused);
        continue;
      }
      let worker = this.#leastLoaded();
      if (worker === undefined && this.#canSpawn()) {
        if (this.#bootFailures >= MAX_BOOT_FAILURES) {
          this.#queue.shift();
          this.#settle(job, false, this.#lastBootError);
          continue;
        }
        worker = this.#spawn();
        // A refused spawn is retried at once, up to the boot-failure limit, which then fails
        // the call: a queued call is never left without a way forward.
        if (worker === undefined) continue;
      }
      worker ??= this.#prefetchTarget();
      if (worker === undefined) break;
      this.#queue.shift();
      this.#send(worker, job);
    }
    if (this.#queue.length === 0) this.#rebalance();
    if (this.#sent.size === 0 && this.#queue.length === 0) this.#drained.wakeAll();
  }

  /** The worker with a free slot and the fewest calls. */
  #leastLoaded(): PoolWorker | undefined {
    let best: PoolWorker | undefined;
    for (const worker of this.#workers) {
      if (worker.retiring || worker.load >= worker.slots || worker.sent >= this.options.maxTasksPerWorker) continue;
      if (best === undefined || worker.load < best.load) best = worker;
    }
    return best;
  }

  #canSpawn(): boolean {
    if (this.options.spawner === undefined) return false;
    let live = 0;
    for (const worker of this.#workers) if (!worker.retiring) live++;
    return live < this.options.maxWorkers;
  }

  /**
   * A busy worker that may hold one more call, so it starts it the moment a slot frees up.
   * Only behind calls expected to end soon: a call queued behind a long one would wait there
   * while another worker idles.
   */
  #prefetchTarget(): PoolWorker | undefined {
    const { prefetch, maxTasksPerWorker } = this.options;
    if (prefetch === 0) return undefined;
    const now = performance.now();
    let best: PoolWorker | undefined;
    for (const worker of this.#workers) {
      if (worker.retiring || !worker.greeted || worker.sent >= maxTasksPerWorker) continue;
      if (worker.load === 0 || worker.load >= worker.slots + prefetch) continue;
      if (best !== undefined && worker.load >= best.load) continue;
      if (this.#endsSoon(worker, now)) best = worker;
    }
    return best;
  }

  /** Whether everything `worker` runs or holds is expected to end soon. */
  #endsSoon(worker: PoolWorker, now: number): boolean {
    for (const job of worker.running.values()) if (!this.#durations.endsSoon(job.fn, now - job.startedAt)) return false;
    for (const job of worker.held) if (!this.#durations.endsSoon(job.fn, 0)) return false;
    return true;
  }

  /**
   * Workers have free slots while others hold calls that have not started: ask those calls
   * back (a worker gives back a call it has not started) so the free workers run them.
   */
  #rebalance(): void {
    let free = 0;
    for (const worker of this.#workers) {
      if (!worker.retiring && worker.greeted) free += Math.max(0, worker.slots - worker.load);
    }
    if (free === 0) return;
    for (const worker of this.#workers) {
      // Calls within the worker's own slots start there as soon as it can: not taken back.
      const behind = worker.held.length - Math.max(0, worker.slots - worker.running.size);
      for (let i = worker.held.length - 1; i >= worker.held.length - behind && free > 0; i--) {
        const job = worker.held[i]!;
        if (job.settled || job.withdrawn) continue;
        job.withdrawn = true;
        free--;
        this.#post(worker, { type: "withdraw", id: job.call.id });
      }
      if (free === 0) return;
    }
  }

  /** The number of `ref` for define messages, the same on every worker of this pool. */
  #fnNumber(ref: FunctionRef): number {
    if (ref === this.#lastRef) return this.#lastNumber;
    let byExport = this.#fnNumbers.get(ref.module);
    if (byExport === undefined) this.#fnNumbers.set(ref.module, (byExport = new Map()));
    let fn = byExport.get(ref.exportName);
    if (fn === undefined) byExport.set(ref.exportName, (fn = this.#fnCount++));
    this.#lastRef = ref;
    this.#lastNumber = fn;
    return fn;
  }

  /** Queues `message` for `worker`; written at the end of the tick with the rest. */
  #post(worker: PoolWorker, message: ToWorkerMessage): void {
    worker.connection.post(message);
    this.#scheduleFlush(worker);
  }

  #scheduleFlush(worker: PoolWorker): void {
    // nextTick, not a microtask: it runs after this tick's microtasks, where the scheduler's
    // result callbacks submit the next calls, so they share the write.
    if (this.#toFlush.length === 0) process.nextTick(this.#flush);
    if (!this.#toFlush.includes(worker)) this.#toFlush.push(worker);
  }

  #spawn(): PoolWorker | undefined {
    let connection: WorkerConnection;
    try {
      connection = this.options.spawner!.spawn();
    } catch (error) {
      this.#bootFailures++;
      this.#lastBootError = new WorkerLostError(`A worker could not be started: ${describe(error)}`, { cause: error });
      return undefined;
    }
    this.#spawned++;
    const worker = this.#adopt(connection);
    return worker.gone ? undefined : worker;
  }

  #send(worker: PoolWorker, job: Job): void {
    try {
      if (worker.defined[job.fn] !== true) {
        worker.connection.post(defineMessage(job.fn, job.ref));
        worker.defined[job.fn] = true;
      }
      // Throws, having queued nothing, for what the transport cannot carry.
      worker.connection.post(callMessage(job.call, job.fn));
    } catch (error) {
      const bad = safeFind(job.call.args, "args");
      this.#settle(job, false, new UnsendableValueError(bad.path, bad.value, this.options.peer, { cause: error }));
      return;
    }
    this.#scheduleFlush(worker);
    job.worker = worker;
    job.withdrawn = false;
    worker.held.push(job);
    worker.sent++;
    this.#sent.set(job.call.id, job);
  }

  #message(worker: PoolWorker, raw: unknown): void {
    if (worker.gone) return;
    let message: FromWorkerMessage;
    try {
      message = parseMessage(raw, "from-worker");
    } catch (error) {
      this.#warn(worker, `sent a message that is not valid protocol; the connection is closed: ${describe(error)}`);
      worker.retiring = true;
      worker.connection.terminate(this.options.cancelGraceMs);
      return;
    }
    switch (message.type) {
      case "hello":
        if (message.v !== PROTOCOL_VERSION) {
          this.#refuseVersion(worker, message.v);
          return;
        }
        worker.greeted = true;
        worker.slots = message.slots;
        this.#bootFailures = 0;
        this.#post(worker, { type: "welcome", v: PROTOCOL_VERSION, worker: worker.label });
        break;
      case "started":
        this.#started_(worker, message.id);
        break;
      case "result":
      case "error":
        this.#answered(worker, message.id, message);
        break;
      case "message": {
        const job = worker.running.get(message.id);
        if (job !== undefined && !job.settled) job.options.onMessage(message.data);
        return;
      }
      case "request":
        this.#request(worker, message);
        return;
      case "ping":
        this.#post(worker, { type: "pong", t: message.t });
        return;
      case "warning":
        this.#warn(worker, message.text);
        return;
      case "close":
        worker.retiring = true;
        break;
      case "pong":
        return;
    }
    this.#pump();
  }

  #started_(worker: PoolWorker, id: number): void {
    const at = worker.held.findIndex((job) => job.call.id === id);
    if (at === -1) return;
    const [job] = worker.held.splice(at, 1) as [Job];
    job.started = true;
    job.withdrawn = false;
    job.startedAt = performance.now();
    worker.running.set(id, job);
    if (!job.settled) job.options.onRunning(worker.label);
    // Cancelled while it waited in the worker, which started it before the cancel arrived
    // (the worker aborts its signal then): it gets the grace period of a running call.
    else this.#terminateLater(worker, job);
  }

  #answered(worker: PoolWorker, id: number, message: FromWorkerMessage & { type: "result" | "error" }): void {
    const job = this.#sent.get(id);
    if (job === undefined || job.worker !== worker) return;
    this.#sent.delete(id);
    job.worker = undefined;
    clearTimeout(worker.graceTimers.get(job));
    worker.graceTimers.delete(job);
    if (job.started) {
      worker.running.delete(id);
      this.#durations.record(job.fn, performance.now() - job.startedAt);
    } else {
      worker.held = worker.held.filter((j) => j !== job);
    }
    worker.answered++;
    if (message.type === "error" && job.withdrawn && !job.started && message.error.name === "CancelledError") {
      // Given back, never ran: it goes back to the front of the queue.
      worker.sent--;
      worker.answered--;
      if (!job.settled) this.#requeue(job);
    } else {
      this.#completed++;
      if (job.started) this.#crashGuard.succeeded(job.ref.module);
      this.#deliver(job, message);
    }
    if (worker.retiring && worker.load === 0) void this.#letGo(worker);
    else if (worker.answered >= this.options.maxTasksPerWorker && worker.load === 0) void this.#letGo(worker);
  }

  #deliver(job: Job, message: FromWorkerMessage & { type: "result" | "error" }): void {
    if (job.settled) return;
    if (message.type === "result") {
      this.#settle(job, true, message.value);
      return;
    }
    job.settled = true;
    decodeErrorAsync((message as ErrorMessage).error).then(job.reject, job.reject);
  }

  /** Comm: answers the call's request with the task's response, or with why it failed. */
  #request(worker: PoolWorker, message: RequestMessage): void {
    const job = worker.running.get(message.id);
    const respond = (ok: boolean, value: unknown) => {
      if (worker.gone) return;
      try {
        this.#post(
          worker,
          ok
            ? { type: "response", id: message.id, rid: message.rid, ok: true, value }
            : { type: "response", id: message.id, rid: message.rid, ok: false, error: encodeError(value) },
        );
      } catch (error) {
        const bad = safeFind(value, "response");
        const unsendable = new UnsendableValueError(bad.path, bad.value, this.options.peer, { cause: error });
        this.#post(worker, { type: "response", id: message.id, rid: message.rid, ok: false, error: encodeError(unsendable) });
      }
    };
    if (job === undefined || job.settled) {
      respond(false, new CancelledError("The call was cancelled before its request was answered."));
      return;
    }
    job.options.onRequest(message.data).then(
      (value) => respond(true, value),
      (error: unknown) => respond(false, error),
    );
  }

  #refuseVersion(worker: PoolWorker, version: number): void {
    const error = new ProtocolVersionError(version, PROTOCOL_VERSION);
    this.#warn(worker, `speaks protocol version ${version}, this side ${PROTOCOL_VERSION}; the connection is closed.`);
    this.#bootFailures = MAX_BOOT_FAILURES;
    this.#lastBootError = error;
    worker.retiring = true;
    for (const job of [...worker.held]) {
      this.#sent.delete(job.call.id);
      this.#settle(job, false, error);
    }
    worker.held = [];
    worker.connection.terminate(0);
    this.#pump();
  }

  /** Puts a call that never started back at the front of the queue. */
  #requeue(job: Job): void {
    job.worker = undefined;
    job.withdrawn = false;
    this.#queue.unshift(job);
  }

  #closed(worker: PoolWorker, loss: WorkerLoss): void {
    if (worker.gone) return;
    worker.gone = true;
    this.#workers.delete(worker);
    for (const timer of worker.graceTimers.values()) clearTimeout(timer);
    const { error } = loss;
    if (!worker.greeted && !worker.retiring) {
      this.#bootFailures++;
      this.#lastBootError = error;
    }
    // The calls the worker had room for were running or loading their module: one of them
    // may be what killed it, so they fail with the crash. The others never started.
    const room = worker.greeted ? Math.max(0, worker.slots - worker.running.size) : 0;
    const failed = [...worker.running.values(), ...worker.held.slice(0, room)];
    const waiting = worker.held.slice(room);
    worker.running.clear();
    worker.held = [];
    for (const job of failed) {
      this.#sent.delete(job.call.id);
      job.worker = undefined;
      if (job.settled) continue;
      this.#crashed++;
      if (error instanceof WorkerCrashedError) this.#crashGuard.crashed(job.ref.module, error);
      this.#settle(job, false, error);
    }
    for (let i = waiting.length - 1; i >= 0; i--) {
      const job = waiting[i]!;
      this.#sent.delete(job.call.id);
      if (!job.settled) this.#requeue(job);
    }
    this.#pump();
  }

  #cancel(job: Job, reason: unknown): void {
    if (job.settled) return;
    this.#settle(job, false, CancelledError.from(reason));
    const worker = job.worker;
    if (worker === undefined || worker.gone) {
      this.#pump();
      return;
    }
    // A call the worker holds is dropped there; a running one has its signal aborted, and a
    // cooperative function returns early.
    this.#post(worker, { type: "cancel", id: job.call.id });
    if (job.started) this.#terminateLater(worker, job);
  }

  /** Terminates `worker` if it still runs `job` after the cancel grace period. */
  #terminateLater(worker: PoolWorker, job: Job): void {
    const grace = this.options.cancelGraceMs;
    clearTimeout(worker.graceTimers.get(job));
    worker.graceTimers.set(
      job,
      setTimeout(() => {
        if (worker.gone || !worker.running.has(job.call.id)) return;
        worker.retiring = true;
        worker.connection.terminate(grace);
      }, grace),
    );
  }

  /** Asks `worker` to exit; terminates it if it has not after a while. */
  #letGo(worker: PoolWorker): Promise<void> {
    worker.retiring = true;
    worker.closing ??= worker.connection.close(EXIT_TIMEOUT_MS);
    return worker.closing;
  }

  #warn(worker: PoolWorker, text: string): void {
    process.emitWarning(`amltk: ${worker.label}: ${text}`, { type: "AmltkWorkerWarning", code: "AMLTK_WORKER_WARNING" });
  }

  #settle(job: Job, ok: boolean, value: unknown): void {
    if (job.settled) return;
    job.settled = true;
    if (ok) job.resolve(value);
    else job.reject(value);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The unsendable part of `value`, without letting a hostile getter throw out of the search. */
function safeFind(value: unknown, path: string): { path: string; value: unknown } {
  try {
    return findUnsendable(value, path) ?? { path, value };
  } catch (error) {
    return { path, value: error };
  }
}

