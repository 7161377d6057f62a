/**
 * `ShutdownTracker`: remembers an executor's shutdown in progress so that a `start()` during
 * it waits for it; otherwise the shutdown would tear down what the start sets up.
 */

/** Used where a settled promise's outcome is another caller's concern. */
function ignore(): void {}

/**
 * @example
 * ```ts
 * shutdown(options) { return this.#tracker.track(this.#shutdown(options)); }
 * async start() { await this.#tracker.settled(); ... }
 * ```
 */
export class ShutdownTracker {
  #current: Promise<void> | undefined;

  /** Records `shutdown` as the one in progress until it settles, and returns it. */
  track(shutdown: Promise<void>): Promise<void> {
    this.#current = shutdown;
    const clear = () => {
      if (this.#current === shutdown) this.#current = undefined;
    };
    shutdown.then(clear, clear);
    return shutdown;
  }

  /** Resolves once no shutdown is in progress; a failed one is its own caller's to handle. */
  async settled(): Promise<void> {
    if (this.#current !== undefined) await this.#current.then(ignore, ignore);
  }
}
