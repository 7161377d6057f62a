/**
 * `OutputInterceptor`: while the live frame is on screen, every write to `process.stdout` and
 * `process.stderr` (callbacks' logs, worker threads' piped output, child processes' forwarded
 * lines) goes through here, so the frame can be cleared, the complete lines written above
 * it, and the frame redrawn: nothing printed during a run is lost or overdrawn.
 */

/** A line without its newline is written out once it grows past this, frame or not. */
const MAX_PARTIAL = 64 * 1024;

type Write = NodeJS.WriteStream["write"];

interface Patched {
  readonly stream: NodeJS.WriteStream;
  readonly original: Write;
  /** Text after the last newline, held until its newline arrives (or the end). */
  partial: string;
}

/**
 * Replaces `write` on the given streams; `around(write)` is called with a function that
 * writes the intercepted complete lines, so the caller can clear and redraw around it.
 *
 * @example
 * ```ts
 * const interceptor = new OutputInterceptor([process.stdout, process.stderr], (write) => {
 *   clearFrame();
 *   write();
 *   drawFrame();
 * });
 * // ... later
 * interceptor.restore();
 * ```
 */
export class OutputInterceptor {
  readonly #patched: Patched[] = [];
  #restored = false;

  constructor(
    streams: readonly NodeJS.WriteStream[],
    private readonly around: (write: () => void) => void,
  ) {
    for (const stream of new Set(streams)) {
      const entry: Patched = { stream, original: stream.write, partial: "" };
      this.#patched.push(entry);
      stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) =>
        this.#write(entry, chunk, encoding, callback)) as Write;
    }
  }

  /** Writes `text` to `stream` with the original `write`, bypassing the interception. */
  writeDirect(stream: NodeJS.WriteStream, text: string): void {
    const entry = this.#patched.find((p) => p.stream === stream);
    (entry?.original ?? stream.write).call(stream, text);
  }

  /**
   * Puts the original `write`s back and returns the held partial lines (stream, text) so the
   * caller writes them out. Idempotent.
   */
  restore(): Array<[stream: NodeJS.WriteStream, text: string]> {
    if (this.#restored) return [];
    this.#restored = true;
    const pending: Array<[NodeJS.WriteStream, string]> = [];
    for (const entry of this.#patched) {
      entry.stream.write = entry.original;
      if (entry.partial !== "") pending.push([entry.stream, entry.partial]);
      entry.partial = "";
    }
    return pending;
  }

  #write(entry: Patched, chunk: unknown, encoding: unknown, callback: unknown): boolean {
    const done = typeof encoding === "function" ? encoding : callback;
    const text =
      typeof chunk === "string"
        ? chunk
        : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
    const all = entry.partial + text;
    const cut = all.lastIndexOf("\n");
    if (cut === -1 && all.length <= MAX_PARTIAL) {
      entry.partial = all;
      if (typeof done === "function") process.nextTick(done as () => void);
      return true;
    }
    const lines = cut === -1 ? `${all}\n` : all.slice(0, cut + 1);
    entry.partial = cut === -1 ? "" : all.slice(cut + 1);
    let ok = true;
    this.around(() => {
      ok = (entry.original as (chunk: string, cb?: unknown) => boolean).call(entry.stream, lines, done);
    });
    return ok;
  }
}
