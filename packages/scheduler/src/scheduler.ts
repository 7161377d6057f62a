/**
 * `Scheduler`: the engine. It runs an executor for the length of a run, submits calls to it,
 * turns their outcomes into events, applies the run's exception policy to errors from calls
 * and callbacks, and decides when and how the run ends.
 */

import { Emitter, Event, InvalidArgumentError, type Subscriber } from "@amltk/events";
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
import { ExitCode, type ExitState } from "./exit.js";
import { actionFor } from "./policy.js";
import { renderScheduler } from "./render.js";
import { resolveRunOptions, type ResolvedRunOptions, type RunOptions } from "./run-options.js";
import { SequentialExecutor } from "./sequential-executor.js";

/** Where a scheduler is: between runs, in a run, or ending one. */
export type SchedulerPhase = "idle" | "running" | "ending";

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
  executor?: Executor;
}

/** Options for `scheduler.stop()`. */
export interface StopOptions {
  /** Passed to `stop` callbacks. @default "stop() was called" */
  reason?: string;
  /** Handled by the run's `onException` policy, like an error from a call. */
  error?: unknown;
}

/** `scheduler.stop`: takes `StopOptions`, and ignores anything else so it can be a callback. */
export interface StopFunction {
  (options?: StopOptions): void;
  (...ignored: unknown[]): void;
}

type EndReason =
  | { kind: "exhausted" }
  | { kind: "timeout" }
  | { kind: "stopped"; reason: string; error?: unknown; action?: "raise" | "end" | "continue" }
  | { kind: "exception"; error: unknown }
  | { kind: "cancelled"; error: unknown };

/** The state of one run; a new one per `run()`, so nothing leaks between runs. */
class Run {
  end: EndReason | undefined;
  raised: { error: unknown } | undefined;
  pendingAsync = 0;
  /** Whether calls were submitted since `empty` was last emitted (decides re-emission). */
  submittedSinceEmpty = true;
  emptyCheckQueued = false;
  readonly timers = new Set<NodeJS.Timeout>();
  readonly ended: Promise<void>;
  wake!: () => void;
  idleWaiters: Array<() => void> = [];

  constructor(readonly options: ResolvedRunOptions) {
    this.ended = new Promise((resolve) => (this.wake = resolve));
  }
}

interface InFlight {
  readonly cancellation: CallCancellation;
  readonly control: FutureControl<unknown>;
  readonly listener: FutureListener | undefined;
}

const STOP_OPTION_KEYS = new Set(["reason", "error"]);

function isStopOptions(value: unknown): value is StopOptions {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.keys(value).every((key) => STOP_OPTION_KEYS.has(key));
}

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
  #run: Run | undefined;
  #nextId = 1;
  readonly #inflight = new Map<Future<any>, InFlight>();
  readonly #tasks: Task<any, any>[] = [];
  readonly #host: TaskHost = {
    submit: (task, fn, args, listener) => this.#submit(fn, args, task.name, listener),
    running: () => this.running(),
    reportCallbackErrors: (errors) => this.#reportErrors(errors),
    trackAsyncCallback: (promise) => {
      // Outside a run there is no policy to route to; like a bare emitter, leave it alone.
      if (this.#run !== undefined) this.#trackAsync(promise);
    },
    adoptTask: (task) => {
      if (!this.#tasks.includes(task)) this.#tasks.push(task);
    },
  };

  constructor(options: SchedulerOptions = {}) {
    super({ name: "scheduler" });
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
   * With `error`, the error goes through the run's `onException` policy. Does nothing when
   * not running. Bound, and ignores arguments that are not `StopOptions`, so it can be passed
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
    if (run === undefined || this.#phase !== "running") return;
    const { reason = "stop() was called", error } = isStopOptions(options) ? options : {};
    if (typeof reason !== "string") throw new InvalidArgumentError("options.reason", "a string", reason);
    if (error === undefined) {
      this.#end(run, { kind: "stopped", reason });
    } else {
      const action = actionFor(run.options.onException, error);
      if (action === "raise") run.raised ??= { error };
      this.#end(run, { kind: "stopped", reason, error, action });
    }
    // Also when the run was already ending by timeout or exhaustion (stop() from `finishing`).
    this.#phase = "ending";
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
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
      throw new InvalidArgumentError("ms", "a finite number of milliseconds >= 0", ms);
    }
    if (typeof fn !== "function") throw new InvalidArgumentError("fn", "a function", fn);
    const timer = setTimeout(() => {
      run.timers.delete(timer);
      if (this.#run !== run || this.#phase !== "running") return;
      try {
        const out = fn(...args);
        if (out instanceof Promise) this.#trackAsync(out);
      } catch (error) {
        this.#handleError(run, error);
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
    const run = new Run(resolved);
    this.#run = run;
    this.#phase = "running";
    let display: LiveDisplay | undefined;
    let timeout: NodeJS.Timeout | undefined;
    // A run waits on a promise; this timer keeps Node alive while nothing else would.
    const keepAlive = setInterval(() => {}, 1 << 30);
    const onAbort = () => this.#end(run, { kind: "stopped", reason: "aborted" });
    try {
      await this.executor.start();
      if (resolved.display) display = LiveDisplay.start(() => this.render());
      if (resolved.signal?.aborted) onAbort();
      resolved.signal?.addEventListener("abort", onAbort, { once: true });
      if (run.end === undefined) this.emit(Scheduler.START);
      if (resolved.timeout !== undefined && run.end === undefined) {
        timeout = setTimeout(() => this.#end(run, { kind: "timeout" }), resolved.timeout);
      }
      this.#checkEmptySoon(run);
      await run.ended;
      clearTimeout(timeout);
      resolved.signal?.removeEventListener("abort", onAbort);
      const end = run.end!;
      if (end.kind === "timeout") this.emit(Scheduler.TIMEOUT);
      else if (end.kind !== "exhausted") this.emit(Scheduler.STOP, stopReason(end), "error" in end ? end.error : undefined);
      this.emit(Scheduler.FINISHING);
      this.#phase = "ending";
      for (const timer of run.timers) clearTimeout(timer);
      run.timers.clear();
      if (!resolved.wait) {
        const reason = new CancelledError("The run ended with wait: false.");
        for (const { cancellation } of this.#inflight.values()) cancellation.cancel(reason);
      }
      await Promise.all([
        this.executor.shutdown({ wait: resolved.wait }).catch((error: unknown) => this.#handleError(run, error)),
        this.#idle(run),
      ]);
      this.emit(Scheduler.FINISHED);
      await this.#idle(run);
    } finally {
      clearTimeout(timeout);
      clearInterval(keepAlive);
      resolved.signal?.removeEventListener("abort", onAbort);
      for (const timer of run.timers) clearTimeout(timer);
      this.#phase = "idle";
      this.#run = undefined;
      // Last, so the final frame shows the idle scheduler.
      display?.stop();
    }
    if (run.raised !== undefined) throw run.raised.error;
    return exitState(run.end!);
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

  override toString(): string {
    return this.render();
  }

  protected override handleCallbackErrors(errors: unknown[], eventName: string): void {
    if (this.#run === undefined) super.handleCallbackErrors(errors, eventName);
    else this.#reportErrors(errors);
  }

  protected override trackAsyncCallback(promise: Promise<unknown>, eventName: string): void {
    if (this.#run === undefined) super.trackAsyncCallback(promise, eventName);
    else this.#trackAsync(promise);
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
    cancellation = new CallCancellation(control.markRunning);
    const promise = this.executor.submit({ id, fn, args, attempt: 1 }, cancellation);
    this.#inflight.set(future, { cancellation, control, listener });
    run.submittedSinceEmpty = true;
    this.emit(Scheduler.FUTURE_SUBMITTED, future);
    listener?.submitted(future, args);
    promise.then(
      (value) => this.#settle(run, future, true, value),
      (error: unknown) => this.#settle(run, future, false, error),
    );
    return future;
  }

  #settle(run: Run, future: Future<any>, ok: boolean, value: unknown): void {
    const entry = this.#inflight.get(future)!;
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
      this.#handleError(run, value);
      this.emit(Scheduler.FUTURE_DONE, future);
      this.emit(Scheduler.FUTURE_EXCEPTION, future, value);
      listener?.done(future, true);
    }
    this.#afterWork(run);
  }

  #applyCancelPolicy(run: Run, error: CancelledError): void {
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
    for (const error of errors) this.#handleError(run, error);
  }

  #handleError(run: Run, error: unknown): void {
    const action = actionFor(run.options.onException, error);
    if (action === "continue") return;
    if (action === "raise") run.raised ??= { error };
    this.#end(run, { kind: "exception", error });
  }

  #trackAsync(promise: Promise<unknown>): void {
    const run = this.#run!;
    run.pendingAsync++;
    promise.then(
      () => {
        run.pendingAsync--;
        this.#afterWork(run);
      },
      (error: unknown) => {
        run.pendingAsync--;
        this.#handleError(run, error);
        this.#afterWork(run);
      },
    );
  }

  /** Decides how the run ends; the first reason wins. */
  #end(run: Run, reason: EndReason): void {
    if (run.end !== undefined) return;
    run.end = reason;
    // A timeout or exhaustion leaves running() true through `finishing`; anything else is a stop.
    if (reason.kind !== "timeout" && reason.kind !== "exhausted") this.#phase = "ending";
    run.wake();
  }

  #afterWork(run: Run): void {
    if (this.#inflight.size > 0 || run.pendingAsync > 0) return;
    const waiters = run.idleWaiters;
    if (waiters.length > 0) {
      run.idleWaiters = [];
      for (const wake of waiters) wake();
    }
    this.#checkEmptySoon(run);
  }

  /** Resolves once no call is in flight and no async callback is pending. */
  async #idle(run: Run): Promise<void> {
    while (this.#inflight.size > 0 || run.pendingAsync > 0) {
      await new Promise<void>((resolve) => run.idleWaiters.push(resolve));
    }
  }

  /**
   * Emits `empty` one macrotask turn after the run ran out of work, so code resuming from
   * `await future` can still submit; then ends the run with `endOnEmpty` unless an `empty`
   * callback gave it more work.
   */
  #checkEmptySoon(run: Run): void {
    if (run.emptyCheckQueued || run.end !== undefined) return;
    if (this.#inflight.size > 0 || run.pendingAsync > 0) return;
    run.emptyCheckQueued = true;
    setImmediate(() => {
      run.emptyCheckQueued = false;
      if (this.#run !== run || run.end !== undefined || this.#inflight.size > 0 || run.pendingAsync > 0) return;
      if (run.submittedSinceEmpty) {
        run.submittedSinceEmpty = false;
        this.emit(Scheduler.EMPTY);
        if (run.end !== undefined || this.#inflight.size > 0 || run.pendingAsync > 0) return;
      }
      if (run.options.endOnEmpty) this.#end(run, { kind: "exhausted" });
    });
  }
}

function stopReason(end: EndReason): string {
  switch (end.kind) {
    case "stopped":
      return end.reason;
    case "exception":
      return "an error ended the run";
    case "cancelled":
      return "a call was cancelled";
    default:
      return end.kind;
  }
}

function exitState(end: EndReason): ExitState {
  switch (end.kind) {
    case "exhausted":
      return { code: ExitCode.EXHAUSTED };
    case "timeout":
      return { code: ExitCode.TIMEOUT };
    case "exception":
      return { code: ExitCode.EXCEPTION, error: end.error };
    case "cancelled":
      return { code: ExitCode.CANCELLED, error: end.error };
    case "stopped":
      if (end.action === undefined) return { code: ExitCode.STOPPED };
      return end.action === "end"
        ? { code: ExitCode.EXCEPTION, error: end.error }
        : { code: ExitCode.STOPPED, error: end.error };
  }
}
