/**
 * The raw processes transport: bare `child_process.fork` children answering over IPC, the
 * thing `@amltk/executor-processes` is built on. Same number of children and the same
 * channel serialization the executor uses by default (`"json"`). Calls go round-robin to the
 * children and are written at once: a child holds as many as are in flight (the channel
 * pipelines them), and answers carry the call's id.
 */

import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { RawTransport } from "../workload.js";

const CHILD = fileURLToPath(new URL("./echo-child.js", import.meta.url));

interface Answer {
  readonly id: number;
  readonly value: number;
}

/**
 * `children` forked echo children, started in `start()` (cold start on the clock, as for
 * the executor, which forks on the first call).
 *
 * @example
 * ```ts
 * await runRawWorkload(() => forkIpcTransport(2), { n: 20_000, inFlight: 2 });
 * ```
 */
export function forkIpcTransport(children: number): RawTransport {
  let procs: ChildProcess[] = [];
  const pending = new Map<number, (value: number) => void>();
  let nextId = 0;
  const onAnswer = (answer: Answer) => {
    const resolve = pending.get(answer.id)!;
    pending.delete(answer.id);
    resolve(answer.value);
  };
  return {
    async start() {
      procs = Array.from({ length: children }, () => {
        const child = fork(CHILD, [], { serialization: "json", stdio: ["ignore", "inherit", "inherit", "ipc"] });
        child.on("message", onAnswer);
        return child;
      });
    },
    call(x) {
      const id = nextId++;
      return new Promise<number>((resolve) => {
        pending.set(id, resolve);
        procs[id % procs.length]!.send({ id, x });
      });
    },
    async close() {
      await Promise.all(
        procs.map((child) => {
          const exited = once(child, "exit");
          child.disconnect();
          return exited;
        }),
      );
      procs = [];
    },
  };
}
