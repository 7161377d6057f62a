/**
 * Forwarding a child's stdout and stderr to the parent's, line by line with a prefix, while
 * keeping the last lines of stderr for the crash report of a call.
 */

import type { Readable, Writable } from "node:stream";

/** How many stderr lines a crash report quotes. */
const TAIL_LINES = 20;

/** Copies `from` to `to` line by line, prefixed; remembers the last lines when `tail` is given. */
export class LineForwarder {
  #partial = "";
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
    if (this.#partial === "") return;
    this.#emit(this.#partial);
    this.#partial = "";
  }

  #write(chunk: string): void {
    const text = this.#partial + chunk;
    const lines = text.split("\n");
    this.#partial = lines.pop()!;
    for (const line of lines) this.#emit(line);
  }

  #emit(line: string): void {
    if (this.#tail !== undefined) {
      this.#tail.push(line);
      if (this.#tail.length > TAIL_LINES) this.#tail.shift();
    }
    this.to.write(this.prefix === "" ? `${line}\n` : `${this.prefix}${line}\n`);
  }
}
