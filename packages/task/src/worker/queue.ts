/**
 * A worker's own queue: a transport may hand a worker the next call before the current one
 * returns (so the worker never waits for the main side between calls). The worker still runs
 * one call at a time, in order; a queued call can be cancelled or withdrawn before it starts.
 */

import { CancelledError } from "../errors.js";
import { encodeError } from "./error-codec.js";
import { PROTOCOL_VERSION, type AnswerMessage, type AnyCallMessage, type ErrorMessage } from "./protocol.js";
import type { CallRunner } from "./runner.js";

/**
 * Runs call messages one at a time through `runner`, queueing those that arrive while one
 * runs, and hands every answer to `send`.
 *
 * @example
 * ```ts
 * const queue = new SerialCallQueue(new CallRunner(), (answer, sent) => process.send!(answer, undefined, {}, sent));
 * process.on("message", (m) => (m.type === "call" ? queue.push(m) : queue.cancel(m.id)));
 * ```
 */
export class SerialCallQueue {
  readonly #pending: AnyCallMessage[] = [];
  #current: number | undefined;
  readonly #finish = (answer: AnswerMessage) => {
    this.#current = undefined;
    this.send(answer, this.#startNext);
  };

  /**
   * Runs after an answer is on its way. The next call must not start before: if it killed
   * the process, an answer still in this process's buffers would be lost, and the main side
   * would blame (and retry) the wrong call.
   */
  readonly #startNext = () => {
    if (this.#current !== undefined) return;
    const next = this.#pending.shift();
    if (next !== undefined) this.#start(next);
  };

  /**
   * @param send hands an answer to the transport and calls `sent` once it has left this
   * process (for IPC, the write completed).
   */
  constructor(
    private readonly runner: CallRunner,
    private readonly send: (answer: AnswerMessage, sent: () => void) => void,
  ) {}

  /** Runs `message` now, or after the calls before it. */
  push(message: AnyCallMessage): void {
    if (this.#current === undefined) this.#start(message);
    else this.#pending.push(message);
  }

  /** Cancels call `id`: aborts its signal if it runs, drops it (answering) if it waits. */
  cancel(id: number): void {
    if (this.#current === id) this.runner.cancel(id);
    else this.#drop(id, "The call was cancelled before it started.");
  }

  /** Gives back call `id` if it has not started; a running call is left alone. */
  withdraw(id: number): void {
    if (this.#current !== id) this.#drop(id, "The call was withdrawn before it started.");
  }

  #drop(id: number, why: string): void {
    const at = this.#pending.findIndex((m) => m.id === id);
    if (at === -1) return;
    this.#pending.splice(at, 1);
    const answer: ErrorMessage = { type: "error", v: PROTOCOL_VERSION, id, error: encodeError(new CancelledError(why)) };
    this.send(answer, () => {});
  }

  #start(message: AnyCallMessage): void {
    this.#current = message.id;
    const answer = this.runner.run(message);
    if (answer instanceof Promise) answer.then(this.#finish);
    else this.#finish(answer);
  }
}
