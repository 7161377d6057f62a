/**
 * `pnpm demo`: runs the collatz and limiter examples with the live display and prints what
 * they computed. The live view only draws on a terminal; when output is piped (CI, logs) the
 * final rendering of each scheduler is printed instead, so the output is the same either way.
 */

import { main as collatz } from "./collatz.js";
import { main as limiter } from "./limiter.js";

const live = process.stdout.isTTY === true;
const executor = process.env["AMLTK_EXECUTOR"]?.trim() || "sequential";
// The demo prints its own summary; the examples' line-by-line output would repeat it.
const quiet = (): void => {};

console.log(`amltk-ts demo (executor: ${executor})\n`);

console.log("== collatz: from 12 down to 1 ==");
const chain = await collatz(quiet, { display: true });
if (!live) console.log(chain.scheduler.render());
console.log(`answers: ${chain.answers.join(", ")} (run ended: ${chain.exit.code})\n`);

console.log("== limiter: at most 2 concurrent calls, 4 submitted at once ==");
const limited = await limiter(quiet, { display: true });
if (!live) console.log(limited.scheduler.render());
console.log(`results: ${limited.results.join(", ")} (dropped: ${limited.dropped.join(", ")}; run ended: ${limited.exit.code})`);
