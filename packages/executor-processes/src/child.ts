/**
 * The child-process entry point the executor forks (its own build entry, `dist/child.js`).
 * It is the shared `CallRunner` plus this transport's details: messages arrive and leave
 * over the IPC channel (structured-clone values, see ipc-codec.ts), an answer that cannot be sent becomes an
 * `UnsendableValueError` naming the path, and a broken channel (the parent died or let the
 * child go) ends the child.
 */

import {
  CallRunner,
  PROTOCOL_VERSION,
  SerialCallQueue,
  findUnsendable,
  isProtocolMessage,
  unsendableAnswer,
  type AnswerMessage,
  type AnyCallMessage,
  type DefineMessage,
  type ReadyMessage,
} from "@amltk/task/worker";
import { Worker } from "node:worker_threads";
import { fromChannel, toChannel } from "./ipc-codec.js";

/** Strings shorter than this (in UTF-16 units) make a small answer; far below a pipe's buffer. */
const SMALL_STRING = 4096;

/** How often the watchdog checks that the parent process lives. */
const PARENT_CHECK_MS = 500;

const send = process.send?.bind(process);
if (send === undefined) {
  console.error("@amltk/executor-processes: child.js runs only as a forked child with an IPC channel.");
  process.exit(1);
}

const runner = new CallRunner({ peer: "the parent process" });

/**
 * Whether an answer is small enough that the channel writes it at once: the pipe is empty
 * (a large answer before it was waited for) and a small write completes synchronously, so the
 * next call may start without waiting a turn for the write callback.
 */
function small(message: AnswerMessage): boolean {
  if (message.type !== "result") return false;
  const { value } = message;
  if (typeof value === "string") return value.length < SMALL_STRING;
  return value === null || (typeof value !== "object" && typeof value !== "function");
}

function answer(message: AnswerMessage, sent: () => void): void {
  try {
    if (small(message)) {
      send!(toChannel(message));
      sent();
    } else {
      send!(toChannel(message), undefined, {}, sent);
    }
  } catch (error) {
    // Serialization failed before anything was written: the channel is intact. The
    // unsendable value's path is found by walking the answer; the send error is its cause.
    send!(toChannel(unsendableAnswer(message, findUnsendable, "the parent process", error)), undefined, {}, sent);
  }
}

// The parent may send the next call before this one returns; they run one at a time.
const queue = new SerialCallQueue(runner, answer);

function handle(received: unknown): void {
  const message = fromChannel(received);
  if (!isProtocolMessage(message)) return;
  if (message.type === "call") queue.push(message as unknown as AnyCallMessage);
  else if (message.type === "define") runner.define(message as unknown as DefineMessage);
  else if (message.type === "cancel" && typeof message.id === "number") queue.cancel(message.id);
  else if (message.type === "withdraw" && typeof message.id === "number") queue.withdraw(message.id);
}

// The parent writes the messages of one tick as one array.
process.on("message", (received: unknown) => {
  if (Array.isArray(received)) for (const each of received) handle(each);
  else handle(received);
});

// No parent, no work: exit even if user code left timers or sockets open.
process.on("disconnect", () => process.exit(0));

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

const ready: ReadyMessage = { type: "ready", v: PROTOCOL_VERSION, pid: process.pid };
send(ready);
