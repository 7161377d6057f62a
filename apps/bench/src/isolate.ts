/**
 * Runs one benchmark case in a fresh Node process and returns its result over IPC.
 *
 * Why: measured in one shared process, cases disturb each other. V8's inline caches and
 * optimised code in `emit` and in the scheduler are shaped by whatever ran before (one
 * shared-process run put @amltk/events with one listener at 0.39x of node:events, against
 * 0.87x measured alone), and once any code has used an `AsyncLocalStorage` (as
 * `taskContext` does), Node 20 installs promise hooks that make every later promise about 2x
 * slower, which would charge the scheduler's cost to the raw transports measured after it.
 * A fresh process per case makes every figure independent of order and of the filter.
 */

import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The flag that puts `index.js` in child mode: `--case <suite>/<case id>`. */
export const CASE_FLAG = "--case";

type ChildMessage = { ok: true; result: unknown } | { ok: false; error: string };

/**
 * Forks the bench entry point to run `suite`/`id` and resolves with what the case returned.
 *
 * @example
 * ```ts
 * const summary = await runInChild<Summary>("events", "node-1");
 * ```
 */
export function runInChild<R>(suite: string, id: string): Promise<R> {
  const entry = fileURLToPath(new URL("./index.js", import.meta.url));
  return new Promise<R>((resolve, reject) => {
    // Same V8 flags as the parent, so `node --trace-gc dist/index.js` traces the cases too.
    const child = fork(entry, [CASE_FLAG, `${suite}/${id}`], {
      execArgv: process.execArgv,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let message: ChildMessage | undefined;
    child.on("message", (m) => {
      message = m as ChildMessage;
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (message?.ok === true) resolve(message.result as R);
      else if (message?.ok === false) reject(new Error(`Case ${suite}/${id} failed:\n${message.error}`));
      else reject(new Error(`Case ${suite}/${id} exited (code ${code}, signal ${signal}) without a result.`));
    });
  });
}

/**
 * Child side: runs the case and sends its result (or error) to the parent, then lets the
 * process end on its own once the IPC channel is closed.
 */
export async function serveCase(run: () => Promise<unknown>): Promise<void> {
  let message: ChildMessage;
  try {
    message = { ok: true, result: await run() };
  } catch (error) {
    message = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  await new Promise<void>((resolve, reject) =>
    process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve())),
  );
  process.disconnect();
}
