/**
 * The bookkeeping of a call's open Comm requests, shared by every executor's task context:
 * each request resolves once (first answer wins), times out with `RequestTimeoutError`, and
 * rejects with `CancelledError` when its call is cancelled or ends first.
 */

import { InvalidArgumentError, checkOptions } from "@amltk/events";
import type { RequestOptions } from "./context.js";
import { CancelledError, RequestTimeoutError } from "./errors.js";

interface Open {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly timer: NodeJS.Timeout | undefined;
}

/**
 * The timeout of `options`, validated: a number > 0 or `Infinity`.
 *
 * @throws InvalidArgumentError for an unknown key or a bad timeout.
 * @example
 * ```ts
 * requestTimeout({ timeout: 500 }); // 500
 * ```
 */
export function requestTimeout(options: RequestOptions | undefined): number {
  if (options === undefined) return Number.POSITIVE_INFINITY;
  checkOptions("options", options, ["timeout"]);
  const { timeout = Number.POSITIVE_INFINITY } = options;
  if (typeof timeout !== "number" || Number.isNaN(timeout) || timeout <= 0) {
    throw new InvalidArgumentError("options.timeout", "a number of milliseconds > 0, or Infinity", timeout);
  }
  return timeout;
}

/**
 * A call's open requests, by request id.
 *
 * @example
 * ```ts
 * const requests = new OpenRequests();
 * const { rid, promise } = requests.open(timeout);
 * post({ type: "request", id, rid, data });
 * // when the response arrives: requests.settle(rid, true, value)
 * ```
 */
export class OpenRequests {
  readonly #open = new Map<number, Open>();
  #next = 0;
  #closedWith: CancelledError | undefined;

  /** How many requests wait for an answer. */
  get size(): number {
    return this.#open.size;
  }

  /** A new request; rejects with `RequestTimeoutError` after `timeout` ms unanswered. */
  open(timeout: number): { rid: number; promise: Promise<unknown> } {
    const rid = this.#next++;
    if (this.#closedWith !== undefined) return { rid, promise: Promise.reject(this.#closedWith) };
    const promise = new Promise<unknown>((resolve, reject) => {
      const timer =
        timeout === Number.POSITIVE_INFINITY
          ? undefined
          : setTimeout(() => this.settle(rid, false, new RequestTimeoutError(timeout)), Math.min(timeout, 2 ** 31 - 1));
      this.#open.set(rid, { resolve, reject, timer });
    });
    return { rid, promise };
  }

  /**
   * A request under `options`: validates them, opens it, and hands its id to `send`, which
   * posts it (a throw fails the request). Never throws; the promise carries every failure.
   */
  ask(options: RequestOptions | undefined, send: (rid: number) => void): Promise<unknown> {
    let timeout: number;
    try {
      timeout = requestTimeout(options);
    } catch (error) {
      return Promise.reject(error);
    }
    const { rid, promise } = this.open(timeout);
    try {
      send(rid);
    } catch (error) {
      this.settle(rid, false, error);
    }
    return promise;
  }

  /** Answers request `rid` (a late or repeated answer is ignored); whether it was open. */
  settle(rid: number, ok: boolean, value: unknown): boolean {
    const open = this.#open.get(rid);
    if (open === undefined) return false;
    this.#open.delete(rid);
    clearTimeout(open.timer);
    if (ok) open.resolve(value);
    else open.reject(value);
    return true;
  }

  /** Rejects every open request, and every later one, with `reason` (the call ended). */
  close(reason: CancelledError): void {
    this.#closedWith ??= reason;
    for (const rid of [...this.#open.keys()]) this.settle(rid, false, reason);
  }
}
