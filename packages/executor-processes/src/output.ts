/**
 * Forwarding a child's stdout and stderr to the parent's, line by line with a prefix, while
 * keeping the last lines of stderr for the crash report of a call.
 */

import type { Readable, Writable } from "node:stream";

/** How many stderr lines a crash report quotes. */
const TAIL_LINES = 20;

/**
 * A line without its newline yet (a `\r` progress bar, a prompt) is written out once no more
 * output came for this long, so it is not held back until the next newline; and at once
 * past `MAX_PARTIAL`.
 */
const PARTIAL_FLUSH_MS = 100;
const MAX_PARTIAL = 64 * 1024;

/** Copies `from` to `to` line by line, prefixed; remembers the last lines when `tail` is given. */
export class LineForwarder {
  #partial = "";
  #partialTimer: NodeJS.Timeout | undefined;
  readonly #tail: string[] | undefined;

  constructor(
    from: Readable,
    private readonly to: Writable,
    private readonly prefix: string,
    keepTail: boolean,
  ) {
    this.#tail = keepTail ? [] : undefined;
    from.setEncoding("utf8");
    from.on("data", (chunk: string) => this.#write(chunk));
    from.on("end", () => this.flush());
  }

  /** The last lines seen (stderr only), oldest first. */
  tail(): string {
    const lines = this.#tail === undefined ? [] : [...this.#tail];
    if (this.#partial !== "") lines.push(this.#partial);
    return lines.slice(-TAIL_LINES).join("\n");
  }

  /** Writes out a last line that had no newline. */
  flush(): void {
    clearTimeout(this.#partialTimer);
    this.#partialTimer = undefined;
    if (this.#partial === "") return;
    this.#emit(this.#partial);
    this.#partial = "";
  }

  #write(chunk: string): void {
    const text = this.#partial + chunk;
    const lines = text.split("\n");
    this.#partial = lines.pop()!;
    for (const line of lines) this.#emit(line);
    if (this.#partial.length > MAX_PARTIAL) this.flush();
    else if (this.#partial === "") {
      clearTimeout(this.#partialTimer);
      this.#partialTimer = undefined;
    } else {
      // Restarted by every chunk: a line still arriving is not split, only one that stalls.
      clearTimeout(this.#partialTimer);
      this.#partialTimer = setTimeout(() => this.flush(), PARTIAL_FLUSH_MS);
      // Output must never keep the parent alive.
      this.#partialTimer.unref();
    }
  }

  #emit(line: string): void {
    if (this.#tail !== undefined) {
      this.#tail.push(line);
      if (this.#tail.length > TAIL_LINES) this.#tail.shift();
    }
    this.to.write(this.prefix === "" ? `${line}\n` : `${this.prefix}${line}\n`);
  }
}
