/**
 * `Scheduler`: the engine. It runs an executor for the length of a run, submits calls to it,
 * turns their outcomes into events, applies the run's exception policy to errors from calls
 * and callbacks, and decides when and how the run ends.
 */

import { Emitter, Event, InvalidArgumentError, checkOptions, type Subscriber } from "@amltk/events";
import {
  CancelledError,
  Future,
  Task,
  isFunctionRef,
  taskHost,
  type AnyFunction,
  type Callable,
  type FunctionRef,
  type FutureControl,
  type FutureListener,
  type TaskHost,
  type TaskOptions,
} from "@amltk/task";
import { CallCancellation } from "./cancellation.js";
import { LiveDisplay } from "./display.js";
import { SchedulerAlreadyRunningError, SchedulerNotRunningError } from "./errors.js";
import type { Executor } from "./executor.js";
import type { ExitState } from "./exit.js";
import { actionFor } from "./policy.js";
import { liveInfo, renderFrame, type LiveInfo } from "./frame.js";
import { renderScheduler } from "./render.js";
import { MAX_DELAY_MS, resolveRunOptions, type RunOptions } from "./run-options.js";
import { RunState } from "./run-state.js";
import { SequentialExecutor } from "./sequential-executor.js";
import { parseStopArgument, type StopFunction } from "./stop-options.js";

/**
 * Where a scheduler is: between runs, starting its executor, in a run, or ending one.
 * `running()` is true only in `"running"`.
 */
export type SchedulerPhase = "idle" | "starting" | "running" | "ending";

/** Events of a scheduler, by name. */
export type SchedulerEvents = {
  start: [];
  finishing: [];
  finished: [];
  stop: [reason: string, error: unknown];
  timeout: [];
  empty: [];
  "future-submitted": [future: Future<any>];
  "future-done": [future: Future<any>];
  "future-result": [future: Future<any>, result: any];
  "future-exception": [future: Future<any>, error: unknown];
  "future-cancelled": [future: Future<any>];
};

/** Options for `new Scheduler()`. */
export interface SchedulerOptions {
  /** Where calls run. @default new SequentialExecutor() */
  executor?: Executor | undefined;
}

interface InFlight {
  readonly cancellation: CallCancellation;
  readonly control: FutureControl<unknown>;
  readonly listener: FutureListener | undefined;
}

/** Where an error came from: a call's outcome, or a callback (including `callLater`). */
type ErrorSource = "call" | "callback" | "executor";

/**
 * Submits functions to an executor and turns their outcomes into events. Subscribe to its
 * events, `run()` it, submit from callbacks, react to results by submitting more.
 *
 * @example
 * ```ts
 * import { Scheduler } from "@amltk/scheduler";
 *
 * const collatz = (n: number) => (n % 2 === 0 ? n / 2 : 3 * n + 1);
 * const scheduler = new Scheduler();
 * const task = scheduler.task(collatz);
 * scheduler.onStart(() => task.submit(12));
 * task.onResult((_future, next) => {
 *   if (next !== 1) task.submit(next);
 * });
 * const { code } = await scheduler.run({ timeout: 1000 }); // "exhausted"
 * ```
 */
export class Scheduler extends Emitter<SchedulerEvents> {
  static readonly START = new Event<[]>("start");
  static readonly FINISHING = new Event<[]>("finishing");
  static readonly FINISHED = new Event<[]>("finished");
  static readonly STOP = new Event<[reason: string, error: unknown]>("stop");
  static readonly TIMEOUT = new Event<[]>("timeout");
  static readonly EMPTY = new Event<[]>("empty");
  static readonly FUTURE_SUBMITTED = new Event<[future: Future<any>]>("future-submitted");
  static readonly FUTURE_DONE = new Event<[future: Future<any>]>("future-done");
  static readonly FUTURE_RESULT = new Event<[future: Future<any>, result: any]>("future-result");
  static readonly FUTURE_EXCEPTION = new Event<[future: Future<any>, error: unknown]>("future-exception");
  static readonly FUTURE_CANCELLED = new Event<[future: Future<any>]>("future-cancelled");

  /** `()` once the run has started: submit the first calls here. */
  readonly onStart: Subscriber<[]> = this.subscriber(Scheduler.START);
  /** `()` when the run is ending, before the executor shuts down. */
  readonly onFinishing: Subscriber<[]> = this.subscriber(Scheduler.FINISHING);
  /** `()` after the executor shut down; the last event of a run. */
  readonly onFinished: Subscriber<[]> = this.subscriber(Scheduler.FINISHED);
  /** `(reason, error)` when the run ends by `stop()`, an abort signal or an error. */
  readonly onStop: Subscriber<[reason: string, error: unknown]> = this.subscriber(Scheduler.STOP);
  /** `()` when `run({ timeout })` elapsed (`running()` is still true). */
  readonly onTimeout: Subscriber<[]> = this.subscriber(Scheduler.TIMEOUT);
  /** `()` each time the run is out of work; submitting here keeps it going. */
  readonly onEmpty: Subscriber<[]> = this.subscriber(Scheduler.EMPTY);
  /** `(future)` for every submitted call. */
  readonly onFutureSubmitted: Subscriber<[future: Future<any>]> = this.subscriber(Scheduler.FUTURE_SUBMITTED);
  /** `(future)` when a call returned or threw. */
  readonly onFutureDone: Subscriber<[future: Future<any>]> = this.subscriber(Scheduler.FUTURE_DONE);
  /** `(future, result)` when a call returned. */
  readonly onFutureResult: Subscriber<[future: Future<any>, result: any]> = this.subscriber(Scheduler.FUTURE_RESULT);
  /** `(future, error)` when a call threw. */
  readonly onFutureException: Subscriber<[future: Future<any>, error: unknown]> = this.subscriber(
    Scheduler.FUTURE_EXCEPTION,
  );
  /** `(future)` when a call was cancelled. */
  readonly onFutureCancelled: Subscriber<[future: Future<any>]> = this.subscriber(Scheduler.FUTURE_CANCELLED);

  /** Where calls run. */
  readonly executor: Executor;

  #phase: SchedulerPhase = "idle";
  #run: RunState | undefined;
  #nextId = 1;
  readonly #inflight = new Map<Future<any>, InFlight>();
  readonly #tasks: Task<any, any>[] = [];
  /** When the live view is up: when the run and each running call started, for the frame. */
  #timing: { runStartedAt: number; started: WeakMap<Future<any>, number> } | undefined;
  readonly #host: TaskHost = {
    submit: (task, fn, args, listener) => this.#submit(fn, args, task.name, listener),
    running: () => this.running(),
    reportCallbackErrors: (errors) => this.#reportErrors(errors),
    trackAsyncCallback: (promise, source) => {
      // Outside a run there is no policy to route to; like a bare emitter, leave it alone.
      if (this.#run !== undefined) this.#trackAsync(promise, source);
    },
    adoptTask: (task) => {
      if (!this.#tasks.includes(task)) this.#tasks.push(task);
    },
    observeRunning: (observer) => {
      // A fresh wrapper per registration, so the same function registered twice is two observers.
      const entry = (future: Future<any>) => observer(future);
      this.#runningObservers.add(entry);
      return () => {
        this.#runningObservers.delete(entry);
      };
    },
  };
  readonly #runningObservers = new Set<(future: Future<any>) => void>();

  constructor(options: SchedulerOptions = {}) {
    super({ name: "scheduler" });
    if (typeof (options as Partial<Executor> | undefined)?.submit === "function") {
      throw new InvalidArgumentError("options", "{ executor } (write new Scheduler({ executor }))", options);
    }
    checkOptions("options", options, ["executor"]);
    const executor = options.executor ?? new SequentialExecutor();
    for (const method of ["start", "submit", "shutdown", "describe"] as const) {
      if (typeof (executor as unknown as Record<string, unknown>)?.[method] !== "function") {
        throw new InvalidArgumentError("options.executor", `an Executor (with a ${method}() method)`, executor);
      }
    }
    this.executor = executor;
  }

  /**
   * A scheduler with the in-process `SequentialExecutor`.
   *
   * @example
   * ```ts
   * const scheduler = Scheduler.withSequential({ concurrency: 8 });
   * ```
   */
  static withSequential(options?: ConstructorParameters<typeof SequentialExecutor>[0]): Scheduler {
    return new Scheduler({ executor: new SequentialExecutor(options) });
  }

  /** @internal The interface tasks use. */
  get [taskHost](): TaskHost {
    return this.#host;
  }

  /** `"idle"`, `"running"` or `"ending"`. */
  get phase(): SchedulerPhase {
    return this.#phase;
  }

  /**
   * Whether the run accepts submissions: true from just before `start` until just after
   * `finishing`, and false from the moment `stop()` is called.
   */
  running(): boolean {
    return this.#phase === "running";
  }

  /** Whether no call is queued or running. */
  empty(): boolean {
    return this.#inflight.size === 0;
  }

  /** The calls that have not finished, in submit order. */
  get queue(): readonly Future<any>[] {
    return [...this.#inflight.keys()];
  }

  /** The tasks created for this scheduler, in creation order. */
  get tasks(): readonly Task<any, any>[] {
    return this.#tasks;
  }

  /**
   * Creates a `Task` for `fn` on this scheduler.
   *
   * @throws InvalidArgumentError when `fn` is neither a function nor a `FunctionRef`.
   * @example
   * ```ts
   * const task = scheduler.task(work.collatz, { name: "collatz", plugins: [new Limiter({ maxCalls: 10 })] });
   * ```
   */
  task<F extends AnyFunction>(
    fn: F | FunctionRef<F>,
    options?: TaskOptions,
  ): Task<Parameters<F>, Awaited<ReturnType<F>>> {
    return new Task<Parameters<F>, Awaited<ReturnType<F>>>(fn as never, this, options);
  }

  /**
   * Submits a call of `fn` with `args` and returns its `Future`.
   *
   * @throws SchedulerNotRunningError outside a run; InvalidArgumentError for a bad `fn`;
   * whatever the executor throws when it refuses the call.
   * @example
   * ```ts
   * scheduler.onStart(() => scheduler.submit(expensive, 2));
   * ```
   */
  submit<F extends AnyFunction>(fn: F | FunctionRef<F>, ...args: Parameters<F>): Future<Awaited<ReturnType<F>>> {
    return this.#submit(fn, args, undefined, undefined);
  }

  /**
   * Ends the run: `running()` is false at once; the `stop` event follows from the run loop.
   * With `error`, the error goes through the run's `onException` policy. Once the run's end
   * is decided (from `stop`, `finishing` or `finished` callbacks) the exit cannot change: an
   * error then makes `run()` reject under `"raise"` (the first one wins) and is otherwise
   * emitted as an `AmltkIgnoredErrorWarning`, as is an error given outside a run. Bound, and ignores arguments that are not `StopOptions`, so it can be passed
   * directly as a callback.
   *
   * @example
   * ```ts
   * task.onException(scheduler.stop);
   * scheduler.stop({ reason: "budget spent" });
   * ```
   */
  readonly stop: StopFunction = (options?: unknown): void => {
    const run = this.#run;
    if (run === undefined) {
      const { error } = parseStopArgument(options);
      if (error !== undefined) warnIgnored(error, "stop() was called outside a run");
      return;
    }
    const { reason, error } = parseStopArgument(options);
    if (run.end !== undefined) {
      // The end is decided (a stop, a timeout, exhaustion, an error; from `stop`, `finishing`
      // or `finished` callbacks): the exit cannot change, so the error is one raised while
      // the run ends. The policy still applies (`raise` makes run() reject with the first
      // such error); what it cannot act on becomes a warning, never silence.
      if (error === undefined) {
        // Nothing to report: the run is ending already.
      } else if (actionFor(run.options.onException, error) === "raise") {
        this.#handleError(run, error, "callback");
      } else {
        warnIgnored(error, `stop({ error }) was called after the run's end was decided (${run.end.kind}), too late to change its exit`);
      }
    } else if (error === undefined) {
      this.#end(run, { kind: "stopped", reason });
    } else {
      const action = actionFor(run.options.onException, error);
      if (action === "raise") run.raised ??= { error };
      this.#end(run, { kind: "stopped", reason, error, action });
    }
    // Also when the run was already ending by timeout or exhaustion (stop() from `finishing`).
    if (this.#phase === "running" || this.#phase === "starting") this.#phase = "ending";
  };

  /**
   * Calls `fn(...args)` after `ms` milliseconds, in the main thread, if the run is still going.
   * Pending timers are not work: they do not keep an `endOnEmpty` run alive and are dropped
   * when the run ends. Returns a function that cancels the timer.
   *
   * @throws SchedulerNotRunningError outside a run.
   * @example
   * ```ts
   * scheduler.onStart(() => scheduler.callLater(1000, () => scheduler.stop()));
   * ```
   */
  callLater<A extends unknown[]>(ms: number, fn: (...args: A) => unknown, ...args: A): () => boolean {
    const run = this.#run;
    if (run === undefined || this.#phase !== "running") {
      throw new SchedulerNotRunningError("callLater()", this.#phase);
    }
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0 || ms > MAX_DELAY_MS) {
      throw new InvalidArgumentError("ms", `a number of milliseconds from 0 to ${MAX_DELAY_MS} (about 24.8 days)`, ms);
    }
    if (typeof fn !== "function") throw new InvalidArgumentError("fn", "a function", fn);
    const timer = setTimeout(() => {
      run.timers.delete(timer);
      if (this.#run !== run || this.#phase !== "running") return;
      try {
        const out = fn(...args);
        if (out instanceof Promise) this.#trackAsync(out, `callLater(${ms}, ${fn.name || "anonymous"})`);
      } catch (error) {
        this.#handleError(run, error, "callback");
      }
    }, ms);
    run.timers.add(timer);
    return () => {
      if (!run.timers.delete(timer)) return false;
      clearTimeout(timer);
      return true;
    };
  }

  /**
   * Runs the scheduler until it is stopped, times out, runs out of work (with
   * `endOnEmpty`), or an error ends it. Resolves with how it ended; rejects with the error
   * when the `onException` policy says `"raise"`. A scheduler can be run again afterwards.
   *
   * @throws SchedulerAlreadyRunningError (as a rejection) while a run is in progress.
   * @throws InvalidArgumentError (as a rejection) for bad options.
   * @example
   * ```ts
   * const { code, error } = await scheduler.run({ timeout: 5000, onException: "end" });
   * ```
   */
  async run(options?: RunOptions): Promise<ExitState> {
    if (this.#phase !== "idle") throw new SchedulerAlreadyRunningError();
    const resolved = resolveRunOptions(options);
    const run = new RunState(resolved);
    this.#run = run;
    this.#phase = "starting";
    let display: LiveDisplay | undefined;
    let timeout: NodeJS.Timeout | undefined;
    // A run waits on a promise; this timer keeps Node alive while nothing else would.
    const keepAlive = setInterval(() => {}, 1 << 30);
    const onAbort = () => this.#end(run, { kind: "stopped", reason: "aborted" });
    try {
      if (resolved.signal?.aborted) onAbort();
      else resolved.signal?.addEventListener("abort", onAbort, { once: true });
      await this.#startExecutor(run);
      if (resolved.display) {
        this.#timing = { runStartedAt: performance.now(), started: new WeakMap() };
        display = LiveDisplay.start(
          (size) => renderFrame(this, size),
          (error) => this.#handleError(run, error, "callback"),
        );
        if (display === undefined) this.#timing = undefined;
      }
      if (run.end === undefined) {
        this.#phase = "running";
        this.emit(Scheduler.START);
        if (resolved.timeout !== undefined && run.end === undefined) {
          timeout = setTimeout(() => this.#end(run, { kind: "timeout" }), resolved.timeout);
        }
        this.#checkEmptySoon(run);
      }
      await run.ended;
      clearTimeout(timeout);
      resolved.signal?.removeEventListener("abort", onAbort);
      const end = run.end!;
      if (end.kind === "timeout") this.emit(Scheduler.TIMEOUT);
      else if (end.kind !== "exhausted") this.emit(Scheduler.STOP, run.stopReason(), "error" in end ? end.error : undefined);
      this.emit(Scheduler.FINISHING);
      this.#phase = "ending";
      for (const timer of run.timers) clearTimeout(timer);
      run.timers.clear();
      if (!resolved.wait) this.#cancelAll(run, new CancelledError("The run ended with wait: false."));
      await Promise.all([this.#shutdownExecutor(run, resolved.wait), this.#idle(run, false)]);
      await this.#settleCallbacks(run, "finished");
      this.emit(Scheduler.FINISHED);
      await this.#settleCallbacks(run, "run() resolved");
    } finally {
      clearTimeout(timeout);
      clearInterval(keepAlive);
      resolved.signal?.removeEventListener("abort", onAbort);
      for (const timer of run.timers) clearTimeout(timer);
      this.#abandonInFlight();
      this.#phase = "idle";
      this.#run = undefined;
      // Last, so the final frame shows the idle scheduler; this also restores stdout/stderr.
      display?.stop();
      this.#timing = undefined;
    }
    if (run.raised !== undefined) throw run.raised.error;
    return run.exitState();
  }

  /**
   * A text rendering: the executor, the queue, each event with its count and handlers, and
   * each task with its plugins and their state.
   *
   * @example
   * ```ts
   * await scheduler.run();
   * console.log(scheduler.render());
   * ```
   */
  render(): string {
    return renderScheduler(this);
  }

  /** @internal Timing for the live frame. */
  [liveInfo](): LiveInfo {
    const timing = this.#timing;
    return {
      runStartedAt: timing?.runStartedAt,
      runningSince: (future) => timing?.started.get(future),
    };
  }

  override toString(): string {
    return this.render();
  }

  protected override handleCallbackErrors(errors: unknown[], eventName: string): void {
    if (this.#run === undefined) super.handleCallbackErrors(errors, eventName);
    else this.#reportErrors(errors);
  }

  protected override trackAsyncCallback(promise: Promise<unknown>, eventName: string): void {
    if (this.#run === undefined) super.trackAsyncCallback(promise, eventName);
    else this.#trackAsync(promise, `event "${eventName}"`);
  }

  /**
   * Starts the executor, unless the run is stopped first (by `stop()` or the abort signal):
   * an executor that never finishes starting must not make the run unstoppable. If starting
   * fails, the executor is shut down (it may have started part of its workers) and `run()`
   * rejects with the error.
   */
  async #startExecutor(run: RunState): Promise<void> {
    if (run.end !== undefined) return;
    const starting = Promise.resolve().then(() => this.executor.start());
    let failed = false;
    let failure: unknown;
    await Promise.race([
      starting.catch((error: unknown) => {
        failed = true;
        failure = error;
      }),
      run.ended,
    ]);
    if (!failed) {
      // A start that fails after the run was stopped still reaches the policy, or is loud.
      starting.catch((error: unknown) => this.#reportLate(run, error, "executor"));
      return;
    }
    try {
      await this.executor.shutdown({ wait: false });
    } catch (shutdownError) {
      throw new AggregateError([failure, shutdownError], "The executor failed to start, then to shut down.");
    }
    throw failure;
  }

  /** Shuts the executor down; a failure (thrown or rejected) goes through the policy. */
  async #shutdownExecutor(run: RunState, wait: boolean): Promise<void> {
    try {
      await this.executor.shutdown({ wait, graceMs: run.options.endGraceMs });
    } catch (error) {
      this.#handleError(run, error, "executor");
    }
  }

  /**
   * Cancels every call in flight. All calls are marked first, then notified: notifying one
   * may let the executor start the next queued call, which must already count as cancelled.
   */
  #cancelAll(run: RunState, reason: CancelledError): void {
    const entries = [...this.#inflight.values()];
    for (const { cancellation } of entries) cancellation.request(reason);
    for (const { cancellation } of entries) {
      try {
        cancellation.notify();
      } catch (error) {
        this.#handleError(run, error, "executor");
      }
    }
  }

  /**
   * Calls still in flight when a run is over (only after a failure inside the run loop) are
   * marked cancelled and forgotten, so the next run starts clean; a late outcome is dropped.
   */
  #abandonInFlight(): void {
    for (const [future, entry] of this.#inflight) {
      entry.control.markCancelled(new CancelledError("The run ended before the call settled."));
      this.#inflight.delete(future);
    }
  }

  #submit(fn: Callable, args: unknown[], taskName: string | undefined, listener: FutureListener | undefined): Future<any> {
    const run = this.#run;
    if (run === undefined || this.#phase !== "running") {
      throw new SchedulerNotRunningError("submit a call", this.#phase);
    }
    if (typeof fn !== "function" && !isFunctionRef(fn)) {
      throw new InvalidArgumentError("fn", "a function or a FunctionRef from fromModule()", fn);
    }
    const id = this.#nextId++;
    let cancellation: CallCancellation | undefined;
    const future = new Future<unknown>(id, fn, args, taskName, () =>
      cancellation!.cancel(new CancelledError("future.cancel() was called.")),
    );
    const control = Future.control(future);
    cancellation = new CallCancellation(this.#onRunning(future, control), future, listener);
    const promise = this.executor.submit({ id, fn, args, attempt: 1 }, cancellation);
    this.#inflight.set(future, { cancellation, control, listener });
    listener?.accepted(future);
    run.submittedSinceEmpty = true;
    this.emit(Scheduler.FUTURE_SUBMITTED, future);
    listener?.submitted(future, args);
    promise.then(
      (value) => this.#settle(run, future, true, value),
      (error: unknown) => this.#settle(run, future, false, error),
    );
    return future;
  }

  /**
   * What the executor calls when `future` starts: the control's `markRunning`, then the
   * start observers registered at that moment (also for calls submitted before they were).
   */
  #onRunning(future: Future<any>, control: FutureControl<unknown>): FutureControl<unknown>["markRunning"] {
    return (...args) => {
      const wasPending = future.state === "pending";
      control.markRunning(...args);
      // The live view shows how long each running call has run.
      if (wasPending) this.#timing?.started.set(future, performance.now());
      if (!wasPending || this.#runningObservers.size === 0) return;
      // An observer's error must not reach the executor that reported the start.
      const errors: unknown[] = [];
      for (const observer of [...this.#runningObservers]) {
        try {
          observer(future);
        } catch (error) {
          errors.push(error);
        }
      }
      if (errors.length > 0 && this.#run !== undefined) this.#reportErrors(errors);
      else for (const error of errors) void Promise.reject(error);
    };
  }

  #settle(run: RunState, future: Future<any>, ok: boolean, value: unknown): void {
    const entry = this.#inflight.get(future);
    // Abandoned when its run failed; its outcome has nowhere to go.
    if (entry === undefined) return;
    this.#inflight.delete(future);
    const { control, listener } = entry;
    if (ok) {
      control.resolve(value);
      this.emit(Scheduler.FUTURE_DONE, future);
      this.emit(Scheduler.FUTURE_RESULT, future, value);
      listener?.done(future, false);
    } else if (value instanceof CancelledError && entry.cancellation.cancelRequested) {
      control.markCancelled(value);
      if (this.#phase === "running") this.#applyCancelPolicy(run, value);
      this.emit(Scheduler.FUTURE_CANCELLED, future);
      listener?.cancelled(future);
    } else {
      control.reject(value);
      // The policy decides first, so callbacks already see running() false on a fatal error.
      this.#handleError(run, value, "call");
      this.emit(Scheduler.FUTURE_DONE, future);
      this.emit(Scheduler.FUTURE_EXCEPTION, future, value);
      listener?.done(future, true);
    }
    this.#afterWork(run);
  }

  #applyCancelPolicy(run: RunState, error: CancelledError): void {
    switch (run.options.onCancelled) {
      case "continue":
        return;
      case "end":
        this.#end(run, { kind: "cancelled", error });
        return;
      case "raise":
        run.raised ??= { error };
        this.#end(run, { kind: "cancelled", error });
    }
  }

  #reportErrors(errors: unknown[]): void {
    const run = this.#run;
    if (run === undefined) {
      throw errors.length === 1 ? errors[0] : new AggregateError(errors, `${errors.length} callbacks threw.`);
    }
    for (const error of errors) this.#handleError(run, error, "callback");
  }

  /**
   * Applies the run's `onException` policy to an error. An error the policy cannot act on
   * (a callback's error with `"continue"`, an `"end"` once the run's end is decided, a second
   * `"raise"`) becomes a process warning: never swallowed silently.
   */
  #handleError(run: RunState, error: unknown, source: ErrorSource): void {
    const action = actionFor(run.options.onException, error);
    if (action === "continue") {
      // A call's error was delivered as `future-exception`; a callback's has no event.
      if (source !== "call") warnIgnored(error, `its ${source} error was handled with onException "continue"`);
      return;
    }
    if (action === "raise") {
      if (run.raised === undefined) run.raised = { error };
      else if (run.raised.error !== error) warnIgnored(error, "run() already rejects with an earlier error");
    }
    if (!this.#end(run, { kind: "exception", error }) && action === "end") {
      warnIgnored(error, `the run was already ending (${run.end!.kind})`);
    }
  }

  /** An error from the run's own machinery that arrives after the run is over is made loud. */
  #reportLate(run: RunState, error: unknown, source: ErrorSource): void {
    if (this.#run === run) this.#handleError(run, error, source);
    else void Promise.reject(error);
  }

  #trackAsync(promise: Promise<unknown>, source: string): void {
    const run = this.#run!;
    const token = run.trackCallback(source);
    promise.then(
      () => {
        run.untrackCallback(token);
        this.#afterWork(run);
      },
      (error: unknown) => {
        run.untrackCallback(token);
        if (this.#run !== run) {
          // The run did not wait for this callback (wait: false); its error must still be loud.
          void Promise.reject(error);
          return;
        }
        if (error instanceof CancelledError) {
          // Awaiting a cancelled future rethrows the cancellation: that is onCancelled's call,
          // and once the run is ending it is the echo of the run's own cancellation.
          if (this.#phase === "running") this.#applyCancelPolicy(run, error);
        } else {
          this.#handleError(run, error, "callback");
        }
        this.#afterWork(run);
      },
    );
  }

  /** Decides how the run ends; the first reason wins. Returns whether this one decided. */
  #end(run: RunState, reason: Parameters<RunState["decide"]>[0]): boolean {
    if (!run.decide(reason)) return false;
    // A timeout or exhaustion leaves running() true through `finishing`; anything else is a stop.
    if (reason.kind !== "timeout" && reason.kind !== "exhausted") this.#phase = "ending";
    return true;
  }

  #afterWork(run: RunState): void {
    run.notifyWorkChanged();
    this.#checkEmptySoon(run);
  }

  /**
   * With `wait`, waits for the pending async callbacks, but at most `endGraceMs` (counted
   * from here: every call has settled by now, so a callback awaiting a future had its
   * answer). One still pending then is reported by name as an `AmltkUnsettledWarning` and
   * abandoned, so the run ends and the program can exit by itself. `before` says what the
   * run did not wait for it to do.
   */
  async #settleCallbacks(run: RunState, before: string): Promise<void> {
    if (!run.options.wait || run.pendingAsync === 0) return;
    let expired = false;
    const grace = setTimeout(() => {
      expired = true;
      run.notifyWorkChanged();
    }, run.options.endGraceMs);
    try {
      while (run.pendingAsync > 0 && !expired) await run.workChanged();
    } finally {
      clearTimeout(grace);
    }
    if (!expired) return;
    for (const source of run.abandonCallbacks()) {
      warnUnsettled(
        `the async ${source} callback had not settled ${run.options.endGraceMs} ms after the run's calls ended; ` +
          `the run did not wait for it before ${before} (endGraceMs)`,
      );
    }
  }

  /**
   * Resolves once no call is in flight and, unless `wait` is false, no async callback is
   * pending: a run ended with `wait: false` returns promptly even when a callback hangs.
   */
  async #idle(run: RunState, includeCallbacks: boolean): Promise<void> {
    while (this.#inflight.size > 0 || (includeCallbacks && run.pendingAsync > 0)) {
      await run.workChanged();
    }
  }

  /**
   * Emits `empty` one macrotask turn after the run ran out of work, so code resuming from
   * `await future` can still submit; then ends the run with `endOnEmpty` unless an `empty`
   * callback gave it more work.
   */
  #checkEmptySoon(run: RunState): void {
    if (run.emptyCheckQueued || run.end !== undefined || this.#phase !== "running") return;
    if (this.#inflight.size > 0 || run.pendingAsync > 0) return;
    run.emptyCheckQueued = true;
    setImmediate(() => {
      run.emptyCheckQueued = false;
      if (this.#run !== run || run.end !== undefined || this.#phase !== "running") return;
      if (this.#inflight.size > 0 || run.pendingAsync > 0) return;
      if (run.submittedSinceEmpty) {
        run.submittedSinceEmpty = false;
        this.emit(Scheduler.EMPTY);
        if (run.end !== undefined || this.#inflight.size > 0 || run.pendingAsync > 0) return;
      }
      if (run.options.endOnEmpty) this.#end(run, { kind: "exhausted" });
    });
  }
}

/** Reports work the run stopped waiting for (an async callback, a module import). */
function warnUnsettled(what: string): void {
  process.emitWarning(`amltk: ${what}.`, { type: "AmltkUnsettledWarning", code: "AMLTK_UNSETTLED" });
}

/** Makes an error the policy could not act on visible, as a process warning. */
function warnIgnored(error: unknown, why: string): void {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.emitWarning(`amltk: an error was not acted on because ${why}: ${text}`, {
    type: "AmltkIgnoredErrorWarning",
    code: "AMLTK_IGNORED_ERROR",
  });
}
