/**
 * `CallCancellation`: the per-call `SubmitOptions` the scheduler hands an executor: its
 * cancellation, its start, and its Comm messages routed to the call's task. Creating an
 * `AbortSignal` costs more than running a trivial call in-process, so the signal exists only
 * once someone reads it; cancellation itself is a flag and a callback list.
 */

import { NoResponderError, type Future, type FutureListener } from "@amltk/task";
import type { SubmitOptions } from "./executor.js";

let warnedTaskless = false;

/** The cancellation state of one call, as `SubmitOptions`. */
export class CallCancellation implements SubmitOptions {
  #controller: AbortController | undefined;
  #requested = false;
  #reason: unknown;
  #callbacks: Array<(reason: unknown) => void> | undefined;

  constructor(
    readonly onRunning: (worker?: string) => void,
    private readonly future: Future<any, any>,
    private readonly listener: FutureListener | undefined,
  ) {}

  onMessage(data: unknown): void {
    if (this.listener !== undefined) {
      this.listener.message(this.future, data);
    } else if (!warnedTaskless) {
      // A call from scheduler.submit has no task to hear it: say so once, loudly.
      warnedTaskless = true;
      process.emitWarning(
        `amltk: ${String(this.future)} sent a message, but it was submitted with scheduler.submit and has no task ` +
          "to receive it; messages of such calls are dropped. Submit through scheduler.task(fn) and listen with task.onMessage.",
        { type: "AmltkIgnoredMessageWarning", code: "AMLTK_MESSAGE_WITHOUT_TASK" },
      );
    }
  }

  onRequest(data: unknown): Promise<unknown> {
    if (this.listener === undefined) {
      return Promise.reject(new NoResponderError("The call was submitted with scheduler.submit, so it has no task to answer its request."));
    }
    return this.listener.request(this.future, data);
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#requested) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  get cancelRequested(): boolean {
    return this.#requested;
  }

  onCancel(callback: (reason: unknown) => void): void {
    if (this.#requested) callback(this.#reason);
    else (this.#callbacks ??= []).push(callback);
  }

  /** Requests cancellation and tells the executor at once. */
  cancel(reason: unknown): void {
    if (this.#requested) return;
    this.request(reason);
    this.notify();
  }

  /** Marks the call cancelled without telling anyone yet (see `notify`). */
  request(reason: unknown): void {
    if (this.#requested) return;
    this.#requested = true;
    this.#reason = reason;
  }

  /**
   * Aborts the signal (if it exists) and runs the callbacks, once. Split from `request` so a
   * batch of calls can all be marked before any executor reacts to one of them.
   */
  notify(): void {
    if (!this.#requested) return;
    const callbacks = this.#callbacks;
    this.#callbacks = undefined;
    // Every callback runs even if one throws: the executor's own cancel hook must not be
    // skipped because another hook failed. The errors are rethrown together afterwards.
    const errors: unknown[] = [];
    for (const callback of callbacks ?? []) {
      try {
        callback(this.#reason);
      } catch (error) {
        errors.push(error);
      }
    }
    try {
      this.#controller?.abort(this.#reason);
    } catch (error) {
      errors.push(error);
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, "Cancelling the call failed.");
  }
}
