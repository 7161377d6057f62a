/**
 * `CallCancellation`: the per-call `SubmitOptions` the scheduler hands an executor. Creating
 * an `AbortSignal` costs more than running a trivial call in-process, so the signal exists
 * only once someone reads it; cancellation itself is a flag and a callback list.
 */

import type { SubmitOptions } from "./executor.js";

/** The cancellation state of one call, as `SubmitOptions`. */
export class CallCancellation implements SubmitOptions {
  #controller: AbortController | undefined;
  #requested = false;
  #reason: unknown;
  #callbacks: Array<(reason: unknown) => void> | undefined;

  constructor(readonly onRunning: () => void) {}

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

  /** Requests cancellation: aborts the signal (if it exists) and runs the callbacks, once. */
  cancel(reason: unknown): void {
    if (this.#requested) return;
    this.#requested = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const callbacks = this.#callbacks;
    this.#callbacks = undefined;
    if (callbacks !== undefined) for (const callback of callbacks) callback(reason);
  }
}
