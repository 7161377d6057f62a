/**
 * The `amltk-trace` command, as a function: parses its arguments, reads the trace, writes the
 * SVG (and the CSV), and returns the exit code. Separate from the bin's entry so it can be
 * run in-process.
 */

import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { recordsToCSV } from "./csv.js";
import { resolveSvgOptions } from "./plot-options.js";
import { readTrace } from "./read-trace.js";
import { timelineToSVG } from "./svg.js";

/** Where the command prints. */
export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

/** The command's help text. */
export const USAGE = `Usage: amltk-trace FILE --svg OUT.svg [--csv OUT.csv] [--title TITLE] [--width PIXELS]

Renders a trace written by trace(scheduler, FILE) from @amltk/monitor: the same plot a
QueueMonitor draws (calls over time, calls per worker), and optionally its records as CSV.

Options:
  --svg OUT.svg     where to write the plot (required)
  --csv OUT.csv     also write the call records as CSV
  --title TITLE     the plot's title (default: the trace file's name)
  --width PIXELS    the plot's width (default: 1000)
  -h, --help        print this help

Exit codes: 0 done, 1 the trace could not be read or the output written, 2 bad arguments.
`;

/** A usage error: print it, the short usage, and exit 2. */
function usageError(output: CommandOutput, message: string): number {
  output.err(`amltk-trace: ${message}\nRun amltk-trace --help for usage.\n`);
  return 2;
}

/**
 * Runs `amltk-trace` with `argv` (without `node` and the script) and returns the exit code.
 *
 * @example
 * ```ts
 * const code = renderTraceCommand(["run.jsonl", "--svg", "run.svg"], { out: console.log, err: console.error });
 * ```
 */
export function renderTraceCommand(argv: readonly string[], output: CommandOutput): number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return usageError(output, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    output.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    return usageError(output, positionals.length === 0 ? "missing the trace FILE" : `expected one trace FILE, got ${positionals.length}`);
  }
  if (values.svg === undefined || values.svg === "") return usageError(output, "missing --svg OUT.svg");
  let width: number | undefined;
  if (values.width !== undefined) {
    width = Number(values.width);
    if (!/^\d+$/.test(values.width)) return usageError(output, `--width must be a whole number of pixels, got ${JSON.stringify(values.width)}`);
  }
  const file = positionals[0]!;
  let svgOptions;
  try {
    svgOptions = resolveSvgOptions("options", { title: values.title ?? `Trace ${basename(file)}`, width });
  } catch (error) {
    return usageError(output, (error as Error).message.replace("options.width", "--width"));
  }
  try {
    const { timeline, records } = readTrace(file);
    writeFileSync(values.svg, timelineToSVG(timeline, svgOptions));
    output.out(`${values.svg}: ${timeline.bars.length} calls on ${timeline.lanes.length} lanes over ${timeline.end.toFixed(2)} s\n`);
    if (values.csv !== undefined) {
      writeFileSync(values.csv, recordsToCSV(records));
      output.out(`${values.csv}: ${records.length} records\n`);
    }
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    output.err(`amltk-trace: ${text}\n`);
    return 1;
  }
  return 0;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      svg: { type: "string" },
      csv: { type: "string" },
      title: { type: "string" },
      width: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}
