/**
 * `Task`: a function bound to a scheduler, with its own events, plugins and futures, so
 * that callbacks can react to this function's results and not to everything the scheduler
 * runs.
 */

import { Emitter, Event, InvalidArgumentError, checkOptions, type Subscriber } from "@amltk/events";
import { callableName, isFunctionRef, type AnyFunction, type Callable } from "./function-ref.js";
import type { Future } from "./future.js";
import { taskHost, type FutureListener, type HasTaskHost, type TaskHost } from "./host.js";
import type { Plugin } from "./plugin.js";
import { NoResponderError, RequestFailedError } from "./errors.js";

/** Events of every task, by name. */
export type TaskEvents<Args extends unknown[], R> = {
  submitted: [future: Future<R, Args>, ...args: Args];
  done: [future: Future<R, Args>];
  result: [future: Future<R, Args>, result: R];
  exception: [future: Future<R, Args>, error: unknown];
  cancelled: [future: Future<R, Args>];
  message: [future: Future<R, Args>, data: unknown];
  request: [future: Future<R, Args>, data: unknown, respond: Respond];
};

/** Answers a Comm request; the first call wins, later ones are ignored. */
export type Respond = (value: unknown) => void;

/** Options for `scheduler.task(fn, options)` and `new Task(fn, scheduler, options)`. */
export interface TaskOptions {
  /** Shown in renderings. Defaults to the function's (or export's) name. */
  name?: string | undefined;
  /** Plugins, attached in order; `preSubmit` runs in the same order. */
  plugins?: Plugin | readonly Plugin[] | undefined;
}

/**
 * A function bound to a scheduler. `submit(...args)` runs it on the scheduler's executor
 * and returns a `Future`, or `undefined` when a plugin vetoed the submission. Its events
 * follow the scheduler's: `submitted` after `future-submitted`; `done` then `result` or
 * `exception` after the scheduler's `future-done` and `future-result`/`future-exception`;
 * `cancelled` after `future-cancelled`.
 *
 * Subclass it to add events of your own.
 *
 * @example
 * ```ts
 * const task = scheduler.task(collatz);
 * scheduler.onStart(() => task.submit(12));
 * task.onResult((_future, next) => {
 *   if (next !== 1 && scheduler.running()) task.submit(next);
 * });
 * await scheduler.run();
 * ```
 */
export class Task<Args extends unknown[] = any[], R = unknown> extends Emitter<
  TaskEvents<Args, R>
> {
  static readonly SUBMITTED = new Event<[Future<any>, ...unknown[]]>("submitted");
  static readonly DONE = new Event<[Future<any>]>("done");
  static readonly RESULT = new Event<[Future<any>, unknown]>("result");
  static readonly EXCEPTION = new Event<[Future<any>, unknown]>("exception");
  static readonly CANCELLED = new Event<[Future<any>]>("cancelled");
  static readonly MESSAGE = new Event<[Future<any>, unknown]>("message");
  static readonly REQUEST = new Event<[Future<any>, unknown, Respond]>("request");

  /** `(future, ...args)`, right after the scheduler's `future-submitted`. */
  readonly onSubmitted: Subscriber<[future: Future<R, Args>, ...args: Args]>;
  /** `(future)` when a call of this task returned or threw. */
  readonly onDone: Subscriber<[future: Future<R, Args>]>;
  /** `(future, result)` when a call of this task returned. */
  readonly onResult: Subscriber<[future: Future<R, Args>, result: R]>;
  /** `(future, error)` when a call of this task threw. */
  readonly onException: Subscriber<[future: Future<R, Args>, error: unknown]>;
  /** `(future)` when a call of this task was cancelled. */
  readonly onCancelled: Subscriber<[future: Future<R, Args>]>;
  /**
   * `(future, data)` when a running call of this task sent `data` with
   * `taskContext().send(data)`; in the order sent, all before the call's `done`.
   */
  readonly onMessage: Subscriber<[future: Future<R, Args>, data: unknown]>;
  /**
   * `(future, data, respond)` when a running call asked with `taskContext().request(data)`;
   * the first `respond(value)` answers it (now or later, from an async handler). A handler
   * that throws fails the request with `RequestFailedError`; with no handler at all the
   * request fails at once with `NoResponderError`.
   */
  readonly onRequest: Subscriber<[future: Future<R, Args>, data: unknown, respond: Respond]>;

  readonly name: string;
  readonly plugins: readonly Plugin[];
  readonly #fn: Callable;
  readonly #host: TaskHost;
  readonly #futures = new Set<Future<R, Args>>();
  #submitted = 0;
  readonly #listener: FutureListener;
  /** The request being emitted, so a handler's error can fail it (see `#request`). */
  #emittingRequest: ((error: unknown) => void) | undefined;

  constructor(
    fn: Callable<(...args: Args) => R | PromiseLike<R>>,
    scheduler: HasTaskHost,
    options: TaskOptions = {},
  ) {
    if (typeof fn !== "function" && !isFunctionRef(fn)) {
      throw new InvalidArgumentError("fn", "a function or a FunctionRef from fromModule()", fn);
    }
    const host = (scheduler as Partial<HasTaskHost> | undefined)?.[taskHost];
    if (host === undefined) {
      throw new InvalidArgumentError("scheduler", "a Scheduler", scheduler);
    }
    checkOptions("options", options, ["name", "plugins"]);
    if (options.name !== undefined && (typeof options.name !== "string" || options.name === "")) {
      throw new InvalidArgumentError("options.name", "a non-empty string", options.name);
    }
    const name = options.name ?? callableName(fn as Callable);
    super({ name });
    this.name = name;
    this.#fn = fn as Callable;
    this.#host = host;
    this.onSubmitted = this.subscriber(Task.SUBMITTED as Event<any>);
    this.onDone = this.subscriber(Task.DONE as Event<any>);
    this.onResult = this.subscriber(Task.RESULT as Event<any>);
    this.onException = this.subscriber(Task.EXCEPTION as Event<any>);
    this.onCancelled = this.subscriber(Task.CANCELLED as Event<any>);
    this.onMessage = this.subscriber(Task.MESSAGE as Event<any>);
    this.onRequest = this.subscriber(Task.REQUEST as Event<any>);
    this.#listener = {
      accepted: (future) => {
        this.#futures.add(future);
        this.#submitted++;
      },
      submitted: (future, args) => this.emit(Task.SUBMITTED, future, ...args),
      done: (future, failed) => {
        this.#futures.delete(future);
        this.emit(Task.DONE, future);
        if (failed) this.emit(Task.EXCEPTION, future, future.exception());
        else this.emit(Task.RESULT, future, future.result());
      },
      cancelled: (future) => {
        this.#futures.delete(future);
        this.emit(Task.CANCELLED, future);
      },
      message: (future, data) => this.emit(Task.MESSAGE, future, data),
      request: (future, data) => this.#request(future, data),
    };
    const plugins = options.plugins === undefined ? [] : ([] as Plugin[]).concat(options.plugins);
    plugins.forEach((plugin, i) => {
      if (typeof plugin?.preSubmit !== "function" || typeof plugin.attachTask !== "function") {
        throw new InvalidArgumentError(`options.plugins[${i}]`, "a Plugin", plugin);
      }
    });
    this.plugins = plugins;
    for (const plugin of plugins) plugin.attachTask(this);
    host.adoptTask(this);
  }

  /** What this task runs. */
  get fn(): Callable {
    return this.#fn;
  }

  /**
   * Submits a call. Plugins run first and may veto (then `undefined` is returned, even when
   * the scheduler is not running) or rewrite the function and arguments.
   *
   * @throws SchedulerNotRunningError when the scheduler is not running.
   * @example
   * ```ts
   * const future = task.submit(12); // Future<number, [n: number]> | undefined
   * ```
   */
  submit(...args: Args): Future<R, Args> | undefined {
    let fn = this.#fn;
    let callArgs: unknown[] = args;
    for (const plugin of this.plugins) {
      const rewritten = plugin.preSubmit(fn, callArgs);
      if (rewritten === undefined) return undefined;
      [fn, callArgs] = rewritten;
    }
    return this.#host.submit(this, fn, callArgs, this.#listener) as Future<R, Args>;
  }

  /** Whether any call of this task has not finished yet. */
  running(): boolean {
    return this.#futures.size > 0;
  }

  /** How many calls of this task have not finished yet. */
  get nRunning(): number {
    return this.#futures.size;
  }

  /** How many calls of this task were submitted successfully (vetoed or refused ones not). */
  get nSubmitted(): number {
    return this.#submitted;
  }

  /** The calls of this task that have not finished yet, in submit order. */
  get futures(): readonly Future<R, Args>[] {
    return [...this.#futures];
  }

  /**
   * Emits `request` and settles with the first `respond(value)`. A handler's error (thrown,
   * or its promise rejected before an answer) fails the request with `RequestFailedError` and
   * goes through the run's policy like any callback error.
   */
  #request(future: Future<R, Args>, data: unknown): Promise<unknown> {
    if (this.listeners(Task.REQUEST).length === 0) return Promise.reject(new NoResponderError());
    return new Promise<unknown>((resolve, reject) => {
      let answered = false;
      const respond: Respond = (value) => {
        if (answered) return;
        answered = true;
        resolve(value);
      };
      const fail = (error: unknown) => {
        if (answered) return;
        answered = true;
        reject(new RequestFailedError(error));
      };
      const outer = this.#emittingRequest;
      this.#emittingRequest = fail;
      try {
        this.emit(Task.REQUEST, future, data, respond);
      } finally {
        this.#emittingRequest = outer;
      }
    });
  }

  protected override handleCallbackErrors(errors: unknown[], eventName: string): void {
    if (eventName === Task.REQUEST.name) this.#emittingRequest?.(errors[0]);
    this.#host.reportCallbackErrors(errors, `task "${this.name}" event "${eventName}"`);
  }

  protected override trackAsyncCallback(promise: Promise<unknown>, eventName: string): void {
    const fail = eventName === Task.REQUEST.name ? this.#emittingRequest : undefined;
    if (fail !== undefined) promise.catch(fail);
    this.#host.trackAsyncCallback(promise, `task "${this.name}" event "${eventName}"`);
  }
}

export type { AnyFunction };
