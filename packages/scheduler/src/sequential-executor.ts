/**
 * `SequentialExecutor`: runs calls in the main thread, one at a time in submit order (or up
 * to `concurrency` async calls interleaved). The default executor: deterministic and easy to
 * debug, with no serialization at all.
 */

import { InvalidArgumentError, checkOptions } from "@amltk/events";
import {
  CancelledError,
  isFunctionRef,
  loadFunction,
  loadedFunction,
  runInTaskContext,
  type AnyFunction,
  type FunctionRef,
  type Call,
  type RequestOptions,
  type TaskContext,
  OpenRequests,
  Waiters,
} from "@amltk/task";
import { ExecutorNotStartedError, ModuleImportTimeoutError } from "./errors.js";
import type { Executor, SubmitOptions } from "./executor.js";

/** Options for `new SequentialExecutor()`. */
export interface SequentialExecutorOptions {
  /**
   * How many async calls may interleave. Synchronous functions always run to completion one
   * at a time; raise this for I/O-bound async functions. Integer >= 1.
   * @default 1
   */
  concurrency?: number | undefined;
}

interface Job {
  readonly call: Call<unknown>;
  readonly options: SubmitOptions;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  settled: boolean;
  /** Whether the job is counted in `#active` (it is awaiting its promise). */
  holdsSlot: boolean;
  /**
   * While its module imports: the timer that fails it once the executor has been shutting
   * down for `graceMs` (`null` before shutdown). Such a job holds no slot, so calls of other
   * modules run meanwhile.
   */
  importTimer?: NodeJS.Timeout | null | undefined;
}

/**
 * A long chain of calls resubmitted from result callbacks runs entirely on microtasks; after
 * this many milliseconds the executor yields one macrotask turn so timers (the run's
 * `timeout`, `callLater`) and I/O still get their turn.
 */
const SLICE_MS = 10;

const infinity = () => Number.POSITIVE_INFINITY;

/**
 * The task context of an in-process call. A class, not an object literal with a getter:
 * V8 keeps such literals in dictionary mode and they survive into the old generation, which
 * made garbage collection half the cost of a trivial call.
 */
class InProcessContext implements TaskContext {
  readonly #options: SubmitOptions;
  #requests: OpenRequests | undefined;
  #send: ((data: unknown) => void) | undefined;
  #request: TaskContext["request"] | undefined;
  readonly remainingTime: () => number;

  constructor(
    options: SubmitOptions,
    readonly attempt: number,
    deadline: number | undefined,
  ) {
    this.#options = options;
    this.remainingTime = deadline === undefined ? infinity : () => Math.max(0, deadline - Date.now());
  }

  /** Read lazily: most functions never look at their signal, and creating one is costly. */
  get signal(): AbortSignal {
    return this.#options.signal;
  }

  /**
   * Bound, so `const { send } = taskContext()` works; made on first use, as most calls never
   * send. Nothing crosses a boundary in-process: `data` reaches the task as it is.
   */
  get send(): (data: unknown) => void {
    return (this.#send ??= (data) => this.#options.onMessage(data));
  }

  /** Bound like `send`. */
  get request(): TaskContext["request"] {
    return (this.#request ??= (data, options) => this.#ask(data, options));
  }

  #ask(data: unknown, options?: RequestOptions): Promise<unknown> {
    if (this.#requests === undefined) {
      const requests = (this.#requests = new OpenRequests());
      this.#options.onCancel((reason) => requests.close(CancelledError.from(reason)));
    }
    const requests = this.#requests;
    return requests.ask(options, (rid) => {
      this.#options.onRequest(data).then(
        (value) => requests.settle(rid, true, value),
        (error: unknown) => requests.settle(rid, false, error),
      );
    });
  }

}

/**
 * Runs calls in-process. Accepts plain functions and `FunctionRef`s, awaits async functions,
 * and always delivers results asynchronously, so chains of calls from result callbacks
 * neither grow the stack nor starve timers. Cancelling a queued call drops it; cancelling a
 * running async call aborts its `taskContext().signal` and reports it cancelled at once (a
 * synchronous call cannot be interrupted; its late result is dropped).
 *
 * @example
 * ```ts
 * const scheduler = new Scheduler({ executor: new SequentialExecutor({ concurrency: 4 }) });
 * ```
 */
export class SequentialExecutor implements Executor {
  readonly kind = "sequential";
  readonly concurrency: number;
  #queue: Job[] = [];
  #head = 0;
  /** Jobs whose module finished importing: they run before `#queue` (submitted earlier). */
  #ready: Job[] = [];
  /** Jobs waiting for their module to import. */
  readonly #importing = new Set<Job>();
  /** Set by `shutdown({ wait: true, graceMs })`: how long an import may still take. */
  #importGraceMs: number | undefined;
  #active = 0;
  #started = false;
  #pumpQueued = false;
  #sliceStart = 0;
  #yielding = false;
  readonly #drained = new Waiters();
  readonly #pump = () => this.#drain();

  constructor(options: SequentialExecutorOptions = {}) {
    checkOptions("options", options, ["concurrency"]);
    const { concurrency = 1 } = options;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new InvalidArgumentError("options.concurrency", "an integer >= 1", concurrency);
    }
    this.concurrency = concurrency;
  }

  async start(): Promise<void> {
    this.#started = true;
    this.#importGraceMs = undefined;
    this.#sliceStart = performance.now();
  }

  submit<R>(call: Call<R>, options: SubmitOptions): Promise<R> {
    if (!this.#started) return Promise.reject(new ExecutorNotStartedError(this.kind));
    if (options.cancelRequested) return Promise.reject(CancelledError.from(options.signal.reason));
    return new Promise<R>((resolve, reject) => {
      const job: Job = {
        call,
        options,
        resolve: resolve as (value: unknown) => void,
        reject,
        settled: false,
        holdsSlot: false,
      };
      this.#queue.push(job);
      options.onCancel((reason) => this.#cancel(job, reason));
      this.#schedulePump();
    });
  }

  async shutdown({ wait, graceMs }: { wait: boolean; graceMs?: number }): Promise<void> {
    this.#started = false;
    if (!wait) {
      for (let i = this.#head; i < this.#queue.length; i++) {
        this.#settle(this.#queue[i]!, false, new CancelledError("The executor shut down."));
      }
    }
    if (graceMs !== undefined) {
      // A module that never finishes importing (a top-level await that never settles) must
      // not hold the run open: its calls get `graceMs` from now (or from when their import
      // begins), then fail.
      this.#importGraceMs = graceMs;
      for (const job of this.#importing) this.#armImportTimer(job);
    }
    while (this.#pending() > 0) await this.#drained.wait();
  }

  describe(): Record<string, unknown> {
    return {
      concurrency: this.concurrency,
      queued: this.#queue.length - this.#head + this.#ready.length,
      active: this.#active,
      importing: this.#importing.size,
    };
  }

  #pending(): number {
    return this.#queue.length - this.#head + this.#ready.length + this.#active + this.#importing.size;
  }

  #drain(): void {
    this.#pumpQueued = false;
    while (this.#active < this.concurrency && this.#ready.length > 0) {
      const job = this.#ready.shift()!;
      if (!job.settled) this.#run(job, true);
    }
    while (this.#active < this.concurrency && this.#head < this.#queue.length) {
      if (performance.now() - this.#sliceStart > SLICE_MS) {
        this.#yielding = true;
        setImmediate(() => {
          this.#yielding = false;
          this.#sliceStart = performance.now();
          this.#drain();
        });
        return;
      }
      const job = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined as never;
      if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      if (job.settled) continue;
      // Marked cancelled in a batch (run({ wait: false })) before its notification arrived.
      if (job.options.cancelRequested) this.#settle(job, false, CancelledError.from(job.options.signal.reason));
      else this.#run(job);
    }
    if (this.#pending() === 0) this.#drained.wakeAll();
  }

  /** @param imported the job waited for its module's import already (it comes from `#ready`). */
  #run(job: Job, imported = false): void {
    const { call, options } = job;
    let fn: AnyFunction | undefined;
    if (isFunctionRef(call.fn)) {
      fn = loadedFunction(call.fn);
      // Behind an earlier call of the same module that still imports, so calls of a module
      // run in submit order even when its import finished in between.
      if (fn === undefined || (!imported && this.#importing.size > 0 && this.#importsModule(call.fn.module))) {
        // First use of this module: load it, then run the call from the loaded cache. The
        // import holds no slot: calls of modules already loaded (or plain functions) run
        // meanwhile, and a module that never finishes importing blocks only its own calls.
        this.#importing.add(job);
        if (this.#importGraceMs !== undefined) this.#armImportTimer(job);
        loadFunction(call.fn).then(
          () => this.#imported(job, undefined),
          (error: unknown) => this.#imported(job, { error }),
        );
        return;
      }
    } else {
      fn = call.fn as AnyFunction;
    }
    options.onRunning();
    const context = new InProcessContext(options, call.attempt, call.deadline);
    let out: unknown;
    try {
      out = runInTaskContext(context, () => fn(...call.args));
    } catch (error) {
      this.#settle(job, false, error);
      return;
    }
    if (out !== null && typeof out === "object" && typeof (out as PromiseLike<unknown>).then === "function") {
      // Cancelled while it ran (from its own message handler, say): it holds no slot, so a
      // promise that never settles cannot keep one.
      if (job.settled) return;
      this.#hold(job);
      Promise.resolve(out).then(
        (value) => this.#finishAsync(job, () => this.#settle(job, true, value)),
        (error: unknown) => this.#finishAsync(job, () => this.#settle(job, false, error)),
      );
    } else {
      this.#settle(job, true, out);
    }
  }

  /** The module of `job` finished importing (or failed to). */
  #importsModule(module: string): boolean {
    for (const job of this.#importing) if ((job.call.fn as FunctionRef).module === module) return true;
    return false;
  }

  #imported(job: Job, failure: { error: unknown } | undefined): void {
    // Already failed by its grace timer, or cancelled.
    if (!this.#importing.delete(job)) return;
    clearTimeout(job.importTimer ?? undefined);
    if (job.settled) {
      // Cancelled while importing.
    } else if (failure !== undefined) {
      this.#settle(job, false, failure.error);
    } else {
      this.#ready.push(job);
    }
    this.#drain();
  }

  #armImportTimer(job: Job): void {
    if (job.importTimer != null) return;
    const graceMs = this.#importGraceMs!;
    job.importTimer = setTimeout(() => {
      if (!this.#importing.delete(job)) return;
      const ref = job.call.fn as { module: string; exportName: string };
      this.#settle(job, false, new ModuleImportTimeoutError(ref.module, ref.exportName, graceMs));
      this.#drain();
    }, graceMs);
  }

  #hold(job: Job): void {
    job.holdsSlot = true;
    this.#active++;
  }

  #release(job: Job): void {
    if (!job.holdsSlot) return;
    job.holdsSlot = false;
    this.#active--;
  }

  /** Frees the slot an async step held, then continues draining. */
  #finishAsync(job: Job, then: () => void): void {
    this.#release(job);
    if (!job.settled) then();
    this.#drain();
  }

  /**
   * A cancelled job frees its slot at once: an async function that ignores its signal keeps
   * running in the background, but it no longer counts, so shutdown never waits on it.
   */
  #cancel(job: Job, reason: unknown): void {
    this.#settle(job, false, CancelledError.from(reason));
    if (this.#importing.delete(job)) {
      clearTimeout(job.importTimer ?? undefined);
      this.#schedulePump();
    }
    if (job.holdsSlot) {
      this.#release(job);
      // Not synchronously: the canceller may be marking a batch of calls, one at a time.
      this.#schedulePump();
    }
  }

  #schedulePump(): void {
    if (this.#pumpQueued || this.#yielding) return;
    this.#pumpQueued = true;
    queueMicrotask(this.#pump);
  }

  #settle(job: Job, ok: boolean, value: unknown): void {
    if (job.settled) return;
    job.settled = true;
    if (ok) job.resolve(value);
    else job.reject(value);
  }
}
