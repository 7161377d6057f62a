/**
 * `ThreadsExecutor`: runs calls on a pool of worker threads, with piscina as the transport.
 * The executor keeps its own queue in front of piscina and hands it at most `maxWorkers`
 * calls at a time, so it knows which calls are queued (cancel drops them) and which are
 * running (cancel aborts their signal, then terminates their worker after a grace period).
 */

import { randomUUID } from "node:crypto";
import { BroadcastChannel, type Worker } from "node:worker_threads";
import { Piscina } from "piscina";
import { Deque, MAX_BOOT_FAILURES } from "@amltk/executor-kit";
import { ExecutorNotStartedError, type Executor, type SubmitOptions } from "@amltk/scheduler";
import { CancelledError, Waiters, type Call, type FunctionRef } from "@amltk/task";
import {
  CrashGuard,
  ShutdownTracker,
  UnsendableValueError,
  WorkerCrashedError,
  callMessage,
  decodeErrorAsync,
  encodeError,
  findUnsendable,
  parseMessage,
  requireFunctionRef,
  type AnswerMessage,
  type FromWorkerMessage,
  type ToWorkerMessage,
} from "@amltk/task/worker";
import { taskFailure } from "./failure.js";
import { resolveThreadsOptions, type ResolvedThreadsOptions, type ThreadsOptions } from "./options.js";
import { READY, RETIRED_SLOTS, downChannel, upChannel, type ThreadsWorkerData } from "./worker-data.js";

const WORKER = new URL("./worker.js", import.meta.url).href;


function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

function bootFailure(cause: unknown): WorkerCrashedError {
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new WorkerCrashedError(
    { exitCode: null, signal: null, worker: "thread" },
    { cause, message: `A worker thread failed to start: ${text}` },
  );
}

type Answer = AnswerMessage & { readonly up: number; readonly retired?: number };
/** A result posted bare by the worker. */
type WireValue = string | number | boolean | bigint | null | undefined;

/** Piscina's view of a worker, as its load balancer sees it. */
interface BalancedWorker {
  readonly id: number;
  readonly currentUsage: number;
}

/**
 * One submitted call. It doubles as the abort signal piscina is given, so aborting a
 * running task costs no `AbortSignal` per call: piscina only needs `aborted` and
 * `addEventListener`.
 */
class Job {
  settled = false;
  /** Handed to piscina. */
  running = false;
  /** `started` arrived: the call executes in a worker. */
  started = false;
  /** `up` messages of the call received so far, and an answer waiting for the rest. */
  upReceived = 0;
  early: { answer: Answer | WireValue; up: number } | undefined;
  aborted = false;
  reason: unknown = undefined;
  graceTimer: NodeJS.Timeout | undefined;
  #abort: (() => void) | undefined;

  constructor(
    readonly call: Call<unknown>,
    readonly ref: FunctionRef,
    readonly options: SubmitOptions,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  addEventListener(_type: "abort", listener: () => void): void {
    this.#abort = listener;
  }

  removeEventListener(): void {
    this.#abort = undefined;
  }

  /** Makes piscina drop the task (queued) or terminate its worker (running). */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = new CancelledError("The call did not return within the cancel grace period.");
    this.#abort?.();
  }
}

/**
 * An `Executor` on worker threads. Runs `FunctionRef`s from `fromModule` (a plain function is
 * refused at submit); each worker imports a module once.
 *
 * @example
 * ```ts
 * import { Scheduler, fromModule } from "@amltk/scheduler";
 * import { threads } from "@amltk/executor-threads";
 *
 * const work = fromModule<typeof import("./work.js")>(new URL("./work.js", import.meta.url));
 * const scheduler = new Scheduler({ executor: threads({ maxWorkers: 4 }) });
 * scheduler.onStart(() => scheduler.submit(work.train, { epochs: 3 }));
 * await scheduler.run();
 * ```
 */
export class ThreadsExecutor implements Executor {
  readonly kind = "threads";
  /** The shutdown in progress, if any: a start() waits for it. */
  readonly #stopping = new ShutdownTracker();
  readonly options: ResolvedThreadsOptions;
  #pool: Piscina | undefined;
  #downChannel: BroadcastChannel | undefined;
  #upChannel: BroadcastChannel | undefined;
  readonly #queue = new Deque<Job>();
  #active = 0;
  readonly #drained = new Waiters();
  /** Every worker thread seen alive, so shutdown can wait for each one's exit. */
  readonly #threads = new Set<Worker>();
  #completed = 0;
  #crashed = 0;
  /** Workers in a row that failed before they were ready, and the last such error. */
  #bootFailures = 0;
  #completedAtLastError = 0;
  #bootError: unknown;
  /** Jobs handed to piscina and not answered yet, by call id. */
  readonly #inPiscina = new Map<number, Job>();
  /** Refuses calls of a module that only ever crashed its workers (no respawn storm). */
  readonly #crashGuard = new CrashGuard();

  constructor(options: ThreadsOptions = {}) {
    this.options = resolveThreadsOptions(options);
  }

  /** How many worker threads are alive (including ones being terminated). */
  get liveWorkers(): number {
    this.#trackThreads();
    return this.#threads.size;
  }

  async start(): Promise<void> {
    await this.#stopping.settled();
    if (this.#pool !== undefined) return;
    this.#bootFailures = 0;
    const { options } = this;
    const channel = `amltk-threads-${randomUUID()}`;
    const retired = new Int32Array(new SharedArrayBuffer(RETIRED_SLOTS * 4));
    const workerData: ThreadsWorkerData = { channel, maxTasksPerWorker: options.maxTasksPerWorker, retired };
    const recycling = options.maxTasksPerWorker !== Number.POSITIVE_INFINITY;
    const pool = new Piscina({
      filename: WORKER,
      // One spare thread lets a replacement start while a retiring worker is still exiting.
      maxThreads: options.maxWorkers + (recycling ? 1 : 0),
      minThreads: options.minWorkers,
      idleTimeout: options.idleTimeout,
      concurrentTasksPerWorker: 1,
      // Piscina's default ("sync") parks an idle worker in Atomics.wait, freezing its event
      // loop: output a call scheduled after returning never appeared, and a timer that threw
      // later failed the next, unrelated call. "async" keeps an idle worker's loop running.
      atomics: "async",
      workerData,
      ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
      ...(options.execArgv === undefined ? {} : { execArgv: options.execArgv }),
      ...(options.env === undefined ? {} : { env: options.env as Record<string, string> }),
      loadBalancer: (_task: unknown, workers: BalancedWorker[]) => {
        for (const worker of workers) {
          if (worker.currentUsage === 0 && Atomics.load(retired, worker.id % RETIRED_SLOTS) !== worker.id) {
            return worker;
          }
        }
        return null;
      },
    } as ConstructorParameters<typeof Piscina>[0]);
    pool.on("workerCreate", () => {
      this.#bootFailures = 0;
      this.#trackThreads();
    });
    // Piscina reports here the errors of workers that had no task: in practice, a worker
    // that failed while starting. Its queued tasks would wait forever for a worker.
    pool.on("error", (error: unknown) => {
      // A worker that dies idle after calls succeeded is not failing to start: only errors
      // with no completed call since the previous one count towards the boot-failure limit.
      if (this.#completed !== this.#completedAtLastError) {
        this.#bootFailures = 0;
        // No call to fail: a timer a finished call left behind threw. Say so, loudly.
        process.emitWarning(`amltk: a worker thread died between calls: ${describeError(error)}`, {
          type: "AmltkWorkerWarning",
          code: "AMLTK_WORKER_DIED_IDLE",
        });
      }
      this.#completedAtLastError = this.#completed;
      this.#bootFailures++;
      this.#bootError = error;
      setImmediate(() => this.#failStuck(pool));
    });
    const down = new BroadcastChannel(downChannel(channel));
    const up = new BroadcastChannel(upChannel(channel));
    down.unref();
    up.unref();
    up.onmessage = (event: unknown) => {
      const data = (event as { data: unknown }).data;
      // A worker says "ready" once it listens for cancels; cancels posted before that (while
      // it booted) were not delivered to it, so they are posted again.
      if (data === READY) {
        for (const job of this.#inPiscina.values()) if (job.graceTimer !== undefined) down.postMessage({ type: "cancel", id: job.call.id });
        return;
      }
      this.#fromWorker(data);
    };
    this.#pool = pool;
    this.#downChannel = down;
    this.#upChannel = up;
  }

  /** A message a worker posted on the up channel: `started`, Comm or a warning. */
  #fromWorker(raw: unknown): void {
    let message: FromWorkerMessage;
    try {
      message = parseMessage(raw, "from-worker");
    } catch (error) {
      process.emitWarning(`amltk: a worker thread sent an invalid message: ${String(error)}`, { type: "AmltkWorkerWarning", code: "AMLTK_WORKER_WARNING" });
      return;
    }
    if (message.type === "warning") {
      process.emitWarning(`amltk: a worker thread: ${message.text}`, { type: "AmltkWorkerWarning", code: "AMLTK_WORKER_WARNING" });
      return;
    }
    if (!("id" in message)) return;
    const job = this.#inPiscina.get(message.id);
    if (job === undefined) return;
    job.upReceived++;
    if (message.type === "started") {
      job.started = true;
      if (!job.settled) job.options.onRunning();
    } else if (message.type === "message") {
      if (!job.settled) job.options.onMessage(message.data);
    } else if (message.type === "request") {
      const respond = (ok: boolean, value: unknown) => this.#respond({ id: message.id, rid: message.rid, ok, value });
      if (job.settled) respond(false, new CancelledError("The call was cancelled before its request was answered."));
      else job.options.onRequest(message.data).then((v) => respond(true, v), (e: unknown) => respond(false, e));
    }
    const early = job.early;
    if (early !== undefined && job.upReceived >= early.up) {
      job.early = undefined;
      this.#answered(job, early.answer);
    }
  }

  #respond({ id, rid, ok, value }: { id: number; rid: number; ok: boolean; value: unknown }): void {
    const down = this.#downChannel;
    if (down === undefined) return;
    const post = (message: ToWorkerMessage) => down.postMessage(message);
    try {
      post(ok ? { type: "response", id, rid, ok: true, value } : { type: "response", id, rid, ok: false, error: encodeError(value) });
    } catch (error) {
      const bad = findUnsendable(value, "response") ?? { path: "response", value };
      post({ type: "response", id, rid, ok: false, error: encodeError(new UnsendableValueError(bad.path, bad.value, "a worker thread", { cause: error })) });
    }
  }

  submit<R>(call: Call<R>, options: SubmitOptions): Promise<R> {
    const ref = requireFunctionRef(call.fn, this.kind);
    if (this.#pool === undefined) return Promise.reject(new ExecutorNotStartedError(this.kind));
    if (options.cancelRequested) return Promise.reject(new CancelledError("The call was cancelled before it was submitted."));
    return new Promise<R>((resolve, reject) => {
      const job = new Job(call as Call<unknown>, ref, options, resolve as (value: unknown) => void, reject);
      options.onCancel((reason) => this.#cancel(job, reason));
      if (this.#active < this.options.maxWorkers && this.#queue.length === 0) this.#dispatch(job);
      else this.#queue.push(job);
    });
  }

  shutdown(options: { wait: boolean }): Promise<void> {
    return this.#stopping.track(this.#shutdown(options));
  }

  async #shutdown({ wait }: { wait: boolean }): Promise<void> {
    const pool = this.#pool;
    if (pool === undefined) return;
    if (!wait) {
      const reason = new CancelledError("The executor shut down.");
      for (const job of this.#queue.drain()) this.#cancel(job, reason);
    }
    while (this.#active > 0 || this.#queue.length > 0) await this.#drained.wait();
    this.#pool = undefined;
    this.#trackThreads(pool);
    const exits = [...this.#threads].map((thread) => new Promise<void>((resolve) => thread.once("exit", () => resolve())));
    await pool.destroy();
    await Promise.all(exits);
    this.#threads.clear();
    this.#downChannel?.close();
    this.#upChannel?.close();
    this.#downChannel = undefined;
    this.#upChannel = undefined;
  }

  describe(): Record<string, unknown> {
    return {
      maxWorkers: this.options.maxWorkers,
      workers: this.#pool?.threads.length ?? 0,
      busy: this.#active,
      queued: this.#queue.length,
      completed: this.#completed,
      crashed: this.#crashed,
    };
  }

  #trackThreads(pool = this.#pool): void {
    if (pool === undefined) return;
    for (const thread of pool.threads) {
      if (this.#threads.has(thread)) continue;
      this.#threads.add(thread);
      thread.once("exit", () => this.#threads.delete(thread));
    }
  }

  #dispatch(job: Job): void {
    const refused = this.#crashGuard.refusal(job.ref.module);
    if (refused !== undefined) {
      this.#settle(job, false, refused);
      return;
    }
    if (this.#bootFailures >= MAX_BOOT_FAILURES) {
      // Workers keep failing to start: fail the call instead of starting yet another one.
      this.#settle(job, false, bootFailure(this.#bootError));
      return;
    }
    this.#active++;
    job.running = true;
    this.#inPiscina.set(job.call.id, job);
    this.#pool!.run(callMessage(job.call, job.ref), { signal: job as never }).then(
      (answer: Answer | WireValue) => this.#arrived(job, answer),
      (error: unknown) => this.#failed(job, error),
    );
  }

  /**
   * An answer from piscina's channel; the call's `up` messages travel on another channel and
   * may still be on their way: the answer waits for them (a bare value had none).
   */
  #arrived(job: Job, answer: Answer | WireValue): void {
    const up = answer === null || typeof answer !== "object" ? 0 : answer.up;
    if (job.upReceived < up) job.early = { answer, up };
    else this.#answered(job, answer);
  }

  #answered(job: Job, answer: Answer | WireValue): void {
    // A quick call's answer implies its start (its `started` was never posted).
    if (!job.started) {
      job.started = true;
      if (!job.settled) job.options.onRunning();
    }
    // A primitive result comes bare (see worker.ts); every answer message is an object.
    this.#crashGuard.succeeded(job.ref.module);
    if (answer === null || typeof answer !== "object") {
      this.#release(job);
      this.#settle(job, true, answer);
      return;
    }
    if (answer.retired !== undefined) this.#retire(answer.retired);
    this.#release(job);
    if (job.settled) return;
    if (answer.type === "result") {
      this.#settle(job, true, answer.value);
    } else {
      job.settled = true;
      decodeErrorAsync(answer.error).then(job.reject, job.reject);
    }
  }

  #failed(job: Job, error: unknown): void {
    this.#trackThreads();
    this.#release(job);
    if (job.settled) return;
    this.#crashed++;
    const failure = taskFailure(error, job.call.args);
    if (failure instanceof WorkerCrashedError) this.#crashGuard.crashed(job.ref.module, failure);
    this.#settle(job, false, failure);
  }

  #retire(threadId: number): void {
    for (const thread of this.#pool?.threads ?? []) {
      if (thread.threadId === threadId) {
        this.#trackThreads();
        void thread.terminate();
        return;
      }
    }
  }

  /**
   * After a worker failed to start: when no worker is left, the tasks piscina still holds
   * would wait forever, so their calls fail with the start-up error.
   */
  #failStuck(pool: Piscina): void {
    if (pool !== this.#pool || pool.threads.length > 0) return;
    for (const job of this.#inPiscina.values()) {
      this.#settle(job, false, bootFailure(this.#bootError));
      job.abort();
    }
  }

  #release(job: Job): void {
    this.#inPiscina.delete(job.call.id);
    clearTimeout(job.graceTimer);
    this.#active--;
    this.#completed++;
    this.#pump();
  }

  #pump(): void {
    while (this.#active < this.options.maxWorkers && this.#queue.length > 0) {
      const job = this.#queue.shift()!;
      if (!job.settled) this.#dispatch(job);
    }
    if (this.#active === 0 && this.#queue.length === 0) this.#drained.wakeAll();
  }

  #cancel(job: Job, reason: unknown): void {
    if (job.settled) return;
    this.#settle(job, false, CancelledError.from(reason));
    if (!job.running) {
      this.#pump();
      return;
    }
    // Ask first: the call's signal aborts and a cooperative function returns early.
    this.#downChannel?.postMessage({ type: "cancel", id: job.call.id });
    job.graceTimer = setTimeout(() => job.abort(), this.options.cancelGraceMs);
  }

  #settle(job: Job, ok: boolean, value: unknown): void {
    if (job.settled) return;
    job.settled = true;
    if (ok) job.resolve(value);
    else job.reject(value);
  }
}

/**
 * A `ThreadsExecutor` with `options`.
 *
 * @example
 * ```ts
 * const scheduler = new Scheduler({ executor: threads({ maxWorkers: 4, maxTasksPerWorker: 100 }) });
 * ```
 */
export function threads(options?: ThreadsOptions): ThreadsExecutor {
  return new ThreadsExecutor(options);
}
