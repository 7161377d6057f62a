/**
 * The child-process entry point the executor forks (its own build entry, `dist/child.js`):
 * `serveWorker` over the IPC channel. Messages of one flush leave as one array (one write);
 * a small write completes synchronously, a large one is waited for before the next call
 * starts. The terminal's Ctrl-C is left to the parent, and a broken channel ends the child.
 */

import { Worker } from "node:worker_threads";
import { serveWorker, type FromWorkerMessage } from "@amltk/task/worker";
import { fromChannel, toChannel } from "./ipc-codec.js";

/** How often the watchdog checks that the parent process lives. */
const PARENT_CHECK_MS = 500;

/** Messages below this many bytes of JSON-ish payload are written synchronously by Node. */
const SMALL_STRING = 4096;

const send = process.send?.bind(process);
if (send === undefined) {
  console.error("@amltk/executor-processes: child.js runs only as a forked child with an IPC channel.");
  process.exit(1);
}

// Ctrl-C in a terminal signals the whole process group. The parent decides how a run ends
// (run({ signal }) lets calls finish); a child that died here would fail its call instead.
process.on("SIGINT", () => {});

let outbox: object[] = [];

/** Whether `message` is small enough that the channel writes it at once. */
function small(message: object): boolean {
  const { value, data } = message as { value?: unknown; data?: unknown };
  for (const part of [value, data]) {
    if (typeof part === "string" && part.length >= SMALL_STRING) return false;
    if (part !== null && typeof part === "object") return false;
  }
  return !("packed" in message);
}

serveWorker(
  {
    send(message: FromWorkerMessage) {
      outbox.push(toChannel(message));
    },
    flush(sent) {
      const out = outbox;
      outbox = [];
      if (out.length === 0 || !process.connected) {
        sent();
        return;
      }
      const payload = out.length === 1 ? out[0]! : out;
      if (out.every(small)) {
        send(payload);
        sent();
      } else {
        send(payload, undefined, {}, () => sent());
      }
    },
    onMessage(handler) {
      process.on("message", (received: unknown) => {
        if (Array.isArray(received)) for (const each of received) handler(fromChannel(each));
        else handler(fromChannel(received));
      });
    },
  },
  { peer: "the parent process", onClose: exitWhenWritten },
);

/**
 * Exits once stdout and stderr have handed everything to their pipes: writes to a pipe are
 * asynchronous, and `process.exit()` would drop what is still buffered.
 */
function exitWhenWritten(): void {
  let open = 2;
  const done = () => {
    if (--open === 0) process.exit(0);
  };
  process.stdout.write("", done);
  process.stderr.write("", done);
}

// No parent, no work: exit even if user code left timers or sockets open.
process.on("disconnect", exitWhenWritten);

// A call spinning in a tight loop never lets this thread see `disconnect`, so a watchdog
// thread checks that the parent lives and kills this process when it is gone (the parent's
// own exit hook cannot run when it is killed with SIGKILL).
const watchdog = new Worker(
  `const { workerData } = require("node:worker_threads");
   setInterval(() => {
     if (process.ppid !== workerData.parent) process.kill(workerData.self, "SIGKILL");
   }, ${PARENT_CHECK_MS});`,
  { eval: true, workerData: { parent: process.ppid, self: process.pid }, stdout: false, stderr: false },
);
watchdog.unref();
