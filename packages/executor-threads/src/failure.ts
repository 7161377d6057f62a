/**
 * Turns the ways a piscina task can fail without an answer from our worker (the worker
 * exited, an uncaught error killed it, it ran out of memory, the arguments could not be
 * cloned) into the typed errors of the executor contract.
 */

import {
  UnsendableValueError,
  WorkerCrashedError,
  WorkerLostError,
  WorkerMemoryLimitError,
  findUnsendable,
} from "@amltk/task/worker";

const EXITED = /worker exited with code: (-?\d+)/;

/**
 * The error a call reports when piscina rejected its task with `error`. Our worker always
 * answers (user errors are answers), so a rejection is always about the transport.
 */
export function taskFailure(error: unknown, args: readonly unknown[]): Error {
  const err = error as { name?: unknown; code?: unknown; message?: unknown } | null;
  const name = typeof err?.name === "string" ? err.name : "";
  const message = typeof err?.message === "string" ? err.message : String(error);
  if (name === "DataCloneError" || /could not be cloned/.test(message)) {
    const bad = findUnsendable(args, "args");
    if (bad !== undefined) return new UnsendableValueError(bad.path, bad.value, "a worker thread", { cause: error });
    return new UnsendableValueError("result", undefined, "the main thread", { cause: error });
  }
  if (err?.code === "ERR_WORKER_OUT_OF_MEMORY") {
    return new WorkerMemoryLimitError({ exitCode: null, signal: null, worker: "thread" }, { cause: error, limit: "resourceLimits" });
  }
  const exited = EXITED.exec(message);
  if (exited !== null) {
    return new WorkerCrashedError({ exitCode: Number(exited[1]), signal: null, worker: "thread" }, { cause: error });
  }
  if (/Terminating worker thread/.test(message)) {
    return new WorkerLostError("The worker thread running this call was terminated.", { cause: error });
  }
  const summary = name === "" ? message : `${name}: ${message}`;
  return new WorkerCrashedError(
    { exitCode: 1, signal: null, worker: "thread" },
    { cause: error, message: `The worker thread running this call died of an uncaught error: ${summary}` },
  );
}
