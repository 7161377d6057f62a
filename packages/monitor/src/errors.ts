/**
 * The errors of @amltk/monitor: a trace file that cannot be read back, and a trace whose
 * file cannot be written.
 */

import { AmltkError } from "@amltk/scheduler";

/**
 * A line of a trace file is not a trace record (not JSON, or missing `event`/`time`). The
 * message names the file and the line number.
 *
 * @example
 * ```ts
 * try {
 *   readTrace("run.jsonl");
 * } catch (error) {
 *   if (error instanceof TraceFormatError) console.error(error.line, error.message);
 * }
 * ```
 */
export class TraceFormatError extends AmltkError {
  override readonly name = "TraceFormatError";
  /** The file that was read. */
  readonly file: string;
  /** The 1-based line number of the bad line. */
  readonly line: number;

  constructor(file: string, line: number, why: string) {
    super(`${file}:${line} is not a trace record: ${why}.`, { code: "ERR_AMLTK_TRACE_FORMAT" });
    this.file = file;
    this.line = line;
  }
}
