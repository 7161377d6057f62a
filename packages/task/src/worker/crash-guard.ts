/**
 * `CrashGuard`: stops a respawn storm from a module that kills its worker before any of its
 * calls ever succeeded (`process.exit()` at import, say). Every call of such a module would
 * otherwise start a fresh worker only to crash it.
 */

import { WorkerCrashedError } from "./errors.js";

/** Crashes in a row, with no success of the module in between, before its calls are refused. */
const MAX_CRASHES_BEFORE_SUCCESS = 3;

/**
 * Per module: crashes since the module last had a successful call. Once a module that never
 * succeeded has crashed its worker `MAX_CRASHES_BEFORE_SUCCESS` times, further calls of it
 * fail at once with the last crash, without starting workers.
 *
 * @example
 * ```ts
 * const refused = guard.refusal(ref.module);
 * if (refused) return Promise.reject(refused);
 * // ... on a crash: guard.crashed(ref.module, error); on a result: guard.succeeded(ref.module)
 * ```
 */
export class CrashGuard {
  readonly #crashes = new Map<string, { count: number; last: WorkerCrashedError }>();
  readonly #succeeded = new Set<string>();

  /** A call of `module` returned or threw normally: the module works. */
  succeeded(module: string): void {
    if (this.#succeeded.has(module)) return;
    this.#succeeded.add(module);
    this.#crashes.delete(module);
  }

  /** A call of `module` took its worker down. */
  crashed(module: string, error: WorkerCrashedError): void {
    if (this.#succeeded.has(module)) return;
    const entry = this.#crashes.get(module);
    this.#crashes.set(module, { count: (entry?.count ?? 0) + 1, last: error });
  }

  /** The error to fail a new call of `module` with, when the module is refused. */
  refusal(module: string): WorkerCrashedError | undefined {
    const entry = this.#crashes.get(module);
    if (entry === undefined || entry.count < MAX_CRASHES_BEFORE_SUCCESS) return undefined;
    const { last } = entry;
    return new WorkerCrashedError(
      { exitCode: last.exitCode, signal: last.signal, stderr: last.stderr },
      {
        cause: last,
        message:
          `Not run: calls of ${module} crashed their worker ${entry.count} times and none ever ` +
          `succeeded, so no more workers are started for it. The last crash: ${last.message}`,
      },
    );
  }
}
