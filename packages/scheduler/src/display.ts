/**
 * `LiveDisplay`: the live view of a run. It keeps a frame at the bottom of the terminal and
 * redraws it in place (on a timer and on resize), while everything else written to stdout and
 * stderr during the run (logs of callbacks, worker threads, child processes) is printed above
 * it: writes are intercepted, the frame is cleared, the lines written, the frame redrawn.
 * Does nothing when the stream is not a TTY, so logs and pipes stay clean.
 */

import { supportsColor } from "./ansi-style.js";
import { OutputInterceptor } from "./output-interceptor.js";

/** How often the live view is redrawn. */
const REDRAW_MS = 100;

/** The terminal a frame is drawn for. */
export interface FrameSize {
  columns: number;
  rows: number;
  color: boolean;
}

/**
 * A live frame at the bottom of a TTY, with other output kept above it.
 *
 * @example
 * ```ts
 * const display = LiveDisplay.start((size) => renderFrame(scheduler, size), console.error);
 * console.log("printed above the frame");
 * display?.stop();
 * ```
 */
export class LiveDisplay {
  /** Lines of the frame on screen now (0 when cleared). */
  #lines = 0;
  #stopped = false;
  #drawing = false;
  #deferred: Array<() => void> = [];
  #failed = false;
  readonly #timer: NodeJS.Timeout;
  readonly #interceptor: OutputInterceptor;
  readonly #onResize = () => this.draw();
  readonly #color: boolean;

  private constructor(
    private readonly render: (size: FrameSize) => string[],
    private readonly stream: NodeJS.WriteStream,
    private readonly onError: (error: unknown) => void,
    others: readonly NodeJS.WriteStream[],
  ) {
    this.#color = supportsColor(stream);
    // Only streams on the terminal disturb the frame; a redirected stderr is left alone.
    const streams = [stream, ...others.filter((other) => other.isTTY === true)];
    this.#interceptor = new OutputInterceptor(streams, (write) => {
      // A write from inside `render` (a describe() that logs) must not redraw recursively:
      // it is written once the old frame is erased, before the new one.
      if (this.#drawing) {
        this.#deferred.push(write);
        return;
      }
      this.#clear();
      write();
      this.#drawSafely();
    });
    this.#timer = setInterval(() => this.#drawSafely(), REDRAW_MS);
    this.#timer.unref();
    stream.on("resize", this.#onResize);
    this.draw();
  }

  /**
   * Starts a live view on `stream`, or returns undefined when it is not a TTY. `onError`
   * receives errors from `render` during redraws (a plugin's `describe()` may throw); after
   * one, the frame is no longer drawn. Writes to `others` (default: stderr) while the frame
   * is up are printed above it too.
   */
  static start(
    render: (size: FrameSize) => string[],
    onError: (error: unknown) => void,
    stream: NodeJS.WriteStream = process.stdout,
    others: readonly NodeJS.WriteStream[] = [process.stderr],
  ): LiveDisplay | undefined {
    return stream.isTTY ? new LiveDisplay(render, stream, onError, others) : undefined;
  }

  /** The size to draw for: the stream's own, with fallbacks for terminals that report none. */
  size(): FrameSize {
    return { columns: this.stream.columns || 80, rows: this.stream.rows || 24, color: this.#color };
  }

  /** Redraws now, replacing the previous frame. Throws what `render` throws. */
  draw(): void {
    if (this.#stopped || this.#failed) return;
    let lines: string[];
    this.#drawing = true;
    try {
      lines = this.render(this.size());
    } finally {
      this.#drawing = false;
      // The old frame goes, and what `render` printed is written, even when it threw.
      this.#clear();
      this.#flushDeferred();
    }
    this.#write(lines.length > 0 ? `${lines.join("\n")}\n` : "");
    this.#lines = lines.length;
  }


  /**
   * Restores stdout and stderr, writes out held partial lines, and leaves the final frame on
   * screen. Idempotent.
   */
  stop(): void {
    if (this.#stopped) return;
    clearInterval(this.#timer);
    this.stream.off("resize", this.#onResize);
    this.#clear();
    for (const [stream, text] of this.#interceptor.restore()) stream.write(`${text}\n`);
    let final: string[] = [];
    try {
      if (!this.#failed) final = this.render(this.size());
    } catch (error) {
      this.onError(error);
    }
    this.#stopped = true;
    if (final.length > 0) this.stream.write(`${final.join("\n")}\n`);
  }

  #flushDeferred(): void {
    const deferred = this.#deferred;
    this.#deferred = [];
    for (const write of deferred) write();
  }

  #drawSafely(): void {
    try {
      this.draw();
    } catch (error) {
      // One report is enough; redrawing would throw again every tick.
      this.#failed = true;
      clearInterval(this.#timer);
      this.onError(error);
    }
  }

  /**
   * Erases the frame line by line, moving up. Not "erase below" from the frame's top: with
   * the frame at the top of the screen that is a whole-screen clear, which terminals such as
   * tmux copy into the scrollback, leaving a stale frame in the history.
   */
  #clear(): void {
    if (this.#lines === 0) return;
    this.#write(`\r\x1b[2K${"\x1b[1A\x1b[2K".repeat(this.#lines)}`);
    this.#lines = 0;
  }

  #write(text: string): void {
    if (text !== "") this.#interceptor.writeDirect(this.stream, text);
  }
}
