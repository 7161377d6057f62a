/**
 * `Waiters`: promises that resolve together when the owner says something changed. Executors
 * and the scheduler wait this way for their work to drain ("wake me, I will re-check").
 */

/**
 * @example
 * ```ts
 * while (this.#active > 0) await this.#drained.wait();
 * // ... wherever work finishes:
 * this.#drained.wakeAll();
 * ```
 */
export class Waiters {
  #waiting: Array<() => void> = [];

  /** Resolves at the next `wakeAll()`. */
  wait(): Promise<void> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Resolves every pending `wait()`; callers re-check their own condition. */
  wakeAll(): void {
    if (this.#waiting.length === 0) return;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const wake of waiting) wake();
  }
}
