/**
 * `LiveDisplay`: redraws the scheduler's rendering in place on a terminal while it runs,
 * throttled, and does nothing when stdout is not a TTY (logs and pipes stay clean).
 */

/** How often the live view is redrawn. */
const REDRAW_MS = 100;

/**
 * A throttled in-place redraw of some text on a TTY stream.
 *
 * @example
 * ```ts
 * const display = LiveDisplay.start(() => scheduler.render(), console.error);
 * // ... later
 * display?.stop();
 * ```
 */
export class LiveDisplay {
  #lines = 0;
  readonly #timer: NodeJS.Timeout;

  private constructor(
    private readonly render: () => string,
    private readonly stream: NodeJS.WriteStream,
    private readonly onError: (error: unknown) => void,
  ) {
    this.#timer = setInterval(() => this.#drawFromTimer(), REDRAW_MS);
    this.#timer.unref();
    this.draw();
  }

  /**
   * Starts a live view on `stream`, or returns undefined when it is not a TTY. `onError`
   * receives errors from `render` during timed redraws (a plugin's `describe()` may throw).
   */
  static start(
    render: () => string,
    onError: (error: unknown) => void,
    stream: NodeJS.WriteStream = process.stdout,
  ): LiveDisplay | undefined {
    return stream.isTTY ? new LiveDisplay(render, stream, onError) : undefined;
  }

  #drawFromTimer(): void {
    try {
      this.draw();
    } catch (error) {
      // One report is enough; redrawing would throw again every tick.
      clearInterval(this.#timer);
      this.onError(error);
    }
  }

  /** Redraws now, replacing the previous drawing. */
  draw(): void {
    const text = this.render();
    const clear = this.#lines > 0 ? `\x1b[${this.#lines}A\x1b[0J` : "";
    this.stream.write(`${clear}${text}\n`);
    this.#lines = text.split("\n").length;
  }

  /** Draws the final state and stops redrawing. */
  stop(): void {
    clearInterval(this.#timer);
    this.draw();
  }
}
