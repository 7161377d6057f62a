/**
 * `WorkerCallContext`: the `taskContext()` of a call running in a worker. Its signal exists
 * only once read (an `AbortSignal` costs more than a trivial call); `send` and `request`
 * become protocol messages through the hooks of the worker that runs the call.
 */

import { OpenRequests } from "../comm.js";
import type { RequestOptions, TaskContext } from "../context.js";
import { CancelledError } from "../errors.js";

const infinity = () => Number.POSITIVE_INFINITY;

/** What a call's context needs from the worker serving it. */
export interface CallContextHooks {
  /** Posts a Comm message of call `id`; throws for data the transport cannot carry. */
  message(id: number, data: unknown): void;
  /** Posts a Comm request `rid` of call `id`; throws for data the transport cannot carry. */
  request(id: number, rid: number, data: unknown): void;
}

/**
 * The task context of one call in a worker.
 *
 * @example
 * ```ts
 * const context = new WorkerCallContext(7, 1, undefined, hooks);
 * runInTaskContext(context, () => fn(...args));
 * context.cancel(new CancelledError()); // aborts context.signal
 * ```
 */
export class WorkerCallContext implements TaskContext {
  #controller: AbortController | undefined;
  #reason: CancelledError | undefined;
  #requests: OpenRequests | undefined;
  #send: ((data: unknown) => void) | undefined;
  #request: TaskContext["request"] | undefined;
  readonly remainingTime: () => number;

  constructor(
    readonly id: number,
    readonly attempt: number,
    deadline: number | undefined,
    private readonly hooks: CallContextHooks,
  ) {
    this.remainingTime = deadline === undefined ? infinity : () => Math.max(0, deadline - Date.now());
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#reason !== undefined) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Whether the call was cancelled. */
  get cancelled(): boolean {
    return this.#reason !== undefined;
  }

  /** Bound, so `const { send } = taskContext()` works; made on first use. */
  get send(): (data: unknown) => void {
    return (this.#send ??= (data) => this.hooks.message(this.id, data));
  }

  /** Bound like `send`. */
  get request(): TaskContext["request"] {
    return (this.#request ??= (data, options) => this.#ask(data, options));
  }

  #ask(data: unknown, options?: RequestOptions): Promise<unknown> {
    return (this.#requests ??= new OpenRequests()).ask(options, (rid) => this.hooks.request(this.id, rid, data));
  }


  /** Settles request `rid` with the main side's answer; false when it is no longer open. */
  answer(rid: number, ok: boolean, value: unknown): boolean {
    return this.#requests?.settle(rid, ok, value) ?? false;
  }

  /** Aborts the signal with `reason` and rejects the open requests, once. */
  cancel(reason: CancelledError): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#requests?.close(reason);
    this.#controller?.abort(reason);
  }

  /** The call returned: a request it left open can no longer be answered usefully. */
  end(): void {
    this.#requests?.close(new CancelledError("The call ended before its request was answered."));
  }
}
