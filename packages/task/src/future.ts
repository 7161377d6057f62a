/**
 * `Future`: the handle on one submitted call. Its state is driven by the scheduler through a
 * `FutureControl`; users read it, cancel it, or await it.
 */

import type { Callable } from "./function-ref.js";
import { CancelledError, FutureNotDoneError } from "./errors.js";

/** Where a call is: queued, executing, finished (result or error), or cancelled. */
export type FutureState = "pending" | "running" | "done" | "cancelled";

/**
 * The scheduler's side of a future: moves it through its states. Not for users.
 */
export interface FutureControl<R> {
  /** The call started executing, on `worker` when the executor names its workers. */
  markRunning(worker?: string): void;
  resolve(value: R): void;
  reject(error: unknown): void;
  markCancelled(error: CancelledError): void;
}

const enum Outcome {
  None,
  Value,
  Error,
  Cancelled,
}

/**
 * One submitted call. PromiseLike (not a Promise): `await future` gives the result or throws
 * the error (`CancelledError` when cancelled). Awaiting is optional; a failed future nobody
 * awaits is not an unhandled rejection.
 *
 * `R` is the call's result; `Args` its arguments, so a task's callbacks see `future.args`
 * typed as the task function's parameters. `Args` defaults to `unknown[]`, and a future of
 * any arguments is assignable to `Future<R>`.
 *
 * @example
 * ```ts
 * scheduler.onStart(async () => {
 *   const future = scheduler.submit(collatz, 12);
 *   future.state; // "pending"
 *   console.log(await future); // 6
 * });
 * const task = scheduler.task((x: number, label: string) => x);
 * task.onResult((future) => future.args); // readonly [x: number, label: string]
 * ```
 */
export class Future<R = unknown, Args extends unknown[] = unknown[]> implements PromiseLike<R> {
  #state: FutureState = "pending";
  #outcome = Outcome.None;
  #value: unknown;
  #waiters: Array<() => void> | undefined;
  #onCancel: (() => void) | undefined;
  #worker: string | undefined;

  /**
   * @param id unique within its scheduler, increasing in submit order.
   * @param fn what was submitted (after plugin rewrites).
   * @param args the arguments it was submitted with (after plugin rewrites: a plugin that
   * rewrites arguments must keep them of the task function's parameter types).
   * @param taskName the submitting task's name, if any.
   * @param onCancel asked to cancel the call when `cancel()` is called.
   */
  constructor(
    readonly id: number,
    readonly fn: Callable,
    readonly args: Readonly<Args>,
    readonly taskName?: string,
    onCancel?: () => void,
  ) {
    this.#onCancel = onCancel;
  }

  /** `"pending" | "running" | "done" | "cancelled"`. */
  get state(): FutureState {
    return this.#state;
  }

  /**
   * The worker that runs (or ran) the call, such as `"process 4242"`, once it started, on
   * executors that name their workers; `undefined` otherwise.
   */
  get worker(): string | undefined {
    return this.#worker;
  }

  /** True once the call has a result, an error, or was cancelled. */
  get settled(): boolean {
    return this.#outcome !== Outcome.None;
  }

  /**
   * The call's result.
   *
   * @throws FutureNotDoneError while pending or running; the call's error if it failed;
   * `CancelledError` if it was cancelled.
   * @example
   * ```ts
   * scheduler.onFutureDone((future) => console.log(future.result()));
   * ```
   */
  result(): R {
    switch (this.#outcome) {
      case Outcome.Value:
        return this.#value as R;
      case Outcome.None:
        throw new FutureNotDoneError(this.#state);
      default:
        throw this.#value;
    }
  }

  /**
   * The call's error, or `undefined` when it returned a value.
   *
   * @throws FutureNotDoneError while pending or running; `CancelledError` if cancelled.
   * @example
   * ```ts
   * scheduler.onFutureDone((future) => future.exception() ?? "ok");
   * ```
   */
  exception(): unknown {
    switch (this.#outcome) {
      case Outcome.Value:
        return undefined;
      case Outcome.Error:
        return this.#value;
      case Outcome.Cancelled:
        throw this.#value;
      default:
        throw new FutureNotDoneError(this.#state);
    }
  }

  /**
   * Asks for the call to be cancelled: a queued call is dropped; a running one has its
   * `taskContext().signal` aborted (and its worker terminated after a grace period where the
   * executor can). The state becomes `"cancelled"` when the executor confirms. Returns whether
   * cancellation was requested: false when the future had already settled. A call that
   * finished just before the request still ends `"done"`.
   *
   * @example
   * ```ts
   * const future = task.submit(slowThing)!;
   * future.cancel(); // true
   * ```
   */
  cancel(): boolean {
    if (this.settled) return false;
    const onCancel = this.#onCancel;
    this.#onCancel = undefined;
    onCancel?.();
    return true;
  }

  then<T1 = R, T2 = never>(
    onfulfilled?: ((value: R) => T1 | PromiseLike<T1>) | null,
    onrejected?: ((reason: unknown) => T2 | PromiseLike<T2>) | null,
  ): Promise<T1 | T2> {
    return new Promise<R>((resolve, reject) => {
      const deliver = () =>
        this.#outcome === Outcome.Value ? resolve(this.#value as R) : reject(this.#value);
      if (this.settled) deliver();
      else (this.#waiters ??= []).push(deliver);
    }).then(onfulfilled, onrejected);
  }

  toString(): string {
    return `Future#${this.id}(${this.#state})`;
  }

  /** @internal Creates the control the scheduler drives this future with. */
  static control<R>(future: Future<R>): FutureControl<R> {
    const settle = (outcome: Outcome, state: FutureState, value: unknown) => {
      if (future.#outcome !== Outcome.None) return;
      future.#outcome = outcome;
      future.#state = state;
      future.#value = value;
      future.#onCancel = undefined;
      const waiters = future.#waiters;
      future.#waiters = undefined;
      if (waiters !== undefined) for (const wake of waiters) wake();
    };
    return {
      markRunning: (worker) => {
        if (future.#state !== "pending") return;
        future.#state = "running";
        if (worker !== undefined) future.#worker = worker;
      },
      resolve: (value) => settle(Outcome.Value, "done", value),
      reject: (error) => settle(Outcome.Error, "done", error),
      markCancelled: (error) => settle(Outcome.Cancelled, "cancelled", error),
    };
  }
}
