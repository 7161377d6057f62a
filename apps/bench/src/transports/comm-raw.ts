/**
 * The raw baselines of the Comm suite: a worker thread posting N messages to the main thread
 * (`postMessage`), and a forked child sending N (`process.send`, JSON channel as the
 * processes executor uses), each timed from the request to the last message.
 */

import { fork } from "node:child_process";
import { once } from "node:events";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

/** One timed burst: messages received and the milliseconds they took. */
export interface Burst {
  readonly messages: number;
  readonly ms: number;
}

/** Counts messages until `"done"`; resolves with how many came before it. */
function countUntilDone(on: (handler: (m: unknown) => void) => () => void): Promise<number> {
  return new Promise((resolve) => {
    let count = 0;
    const off = on((m) => {
      if (m === "done") {
        off();
        resolve(count);
      } else count++;
    });
  });
}

/**
 * Starts a worker thread (not timed), then times `n` messages from it to this thread.
 *
 * @example
 * ```ts
 * const { messages, ms } = await rawThreadBurst(20_000);
 * ```
 */
export async function rawThreadBurst(n: number): Promise<Burst> {
  const worker = new Worker(fileURLToPath(new URL("./comm-thread.js", import.meta.url)));
  try {
    await once(worker, "online");
    const t0 = performance.now();
    const counted = countUntilDone((h) => {
      worker.on("message", h);
      return () => worker.off("message", h);
    });
    worker.postMessage(n);
    const messages = await counted;
    return { messages, ms: performance.now() - t0 };
  } finally {
    await worker.terminate();
  }
}

/**
 * Forks a child (not timed; a first round trip proves it listens), then times `n` messages
 * from it to this process.
 *
 * @example
 * ```ts
 * const { messages, ms } = await rawProcessBurst(20_000);
 * ```
 */
export async function rawProcessBurst(n: number): Promise<Burst> {
  const child = fork(fileURLToPath(new URL("./comm-child.js", import.meta.url)), [], {
    serialization: "json",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const on = (h: (m: unknown) => void) => {
    child.on("message", h);
    return () => child.off("message", h);
  };
  try {
    const ready = countUntilDone(on);
    child.send(0);
    await ready;
    const t0 = performance.now();
    const counted = countUntilDone(on);
    child.send(n);
    const messages = await counted;
    return { messages, ms: performance.now() - t0 };
  } finally {
    const exited = once(child, "exit");
    child.disconnect();
    await exited;
  }
}
