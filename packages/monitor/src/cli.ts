#!/usr/bin/env node
/**
 * The `amltk-trace` bin: `amltk-trace FILE --svg out.svg [--csv out.csv]` renders a trace
 * written by `trace()` through the same plot code as `QueueMonitor.plot()`.
 */

import { renderTraceCommand } from "./render-trace-command.js";

process.exitCode = renderTraceCommand(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
