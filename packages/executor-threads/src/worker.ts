/**
 * The worker-thread entry point piscina loads (its own build entry, `dist/worker.js`):
 * `serveWorker` with piscina as the call channel. A call arrives as a piscina task and its
 * answer is the task's return value; everything else crosses two BroadcastChannels: `down`
 * (cancel, Comm responses: every worker hears them and ignores other calls' ids) and `up`
 * (started, Comm messages and requests, warnings). An answer carries how many `up` messages
 * its call sent, so the main thread delivers them all before the answer.
 */

import { BroadcastChannel, threadId, workerData } from "node:worker_threads";
import { serveWorker, type AnswerMessage, type CallMessage, type FromWorkerMessage } from "@amltk/task/worker";
import { inheritTypeScriptLoader } from "./loaders.js";
import { READY, RETIRED_SLOTS, downChannel, upChannel, type ThreadsWorkerData } from "./worker-data.js";

const data = workerData as ThreadsWorkerData;

// Subscribed before anything is awaited: a cancel posted while this worker boots would
// otherwise be lost (a BroadcastChannel does not replay), and the server remembers it.
const down = new BroadcastChannel(downChannel(data.channel));
const up = new BroadcastChannel(upChannel(data.channel));
// Neither channel may keep a worker alive.
down.unref();
up.unref();

/** `up` messages sent per call not answered yet. */
const sentUp = new Map<number, number>();
/**
 * `started`s not posted yet. They go at the next flush (serveWorker flushes before it runs a
 * call that is not quick), or before the call's first Comm message; a quick call's answer
 * implies its start, so its `started` is never posted at all.
 */
const unposted = new Set<number>();

function postUp(message: FromWorkerMessage & { id: number }): void {
  // Throws (DataCloneError) for what cannot be cloned; serveWorker names the path.
  up.postMessage(message);
  sentUp.set(message.id, (sentUp.get(message.id) ?? 0) + 1);
}

function postStarted(id: number): void {
  if (unposted.delete(id)) postUp({ type: "started", id });
}
/** The piscina task of each call, resolved with its answer. */
const answers = new Map<number, (answer: WireAnswer | Promise<WireAnswer>) => void>();
/** An answer produced while `run` was still on the stack (a synchronous call). */
let syncAnswer: { id: number; answer: WireAnswer | Promise<WireAnswer> } | undefined;
let calls = 0;

/** An answer with the count of its call's `up` messages, and the retirement mark. */
export type UpCountedAnswer = AnswerMessage & { readonly up: number; readonly retired?: number };

/**
 * What the worker returns for an answer: a primitive result whose call posted no `up` message
 * goes as the bare value (the main thread tells it apart because a message is an object);
 * most calls return a number or a string, and this saves building and cloning a wrapper.
 */
export type WireAnswer = UpCountedAnswer | string | number | boolean | bigint | null | undefined;

function wire(answer: AnswerMessage): WireAnswer {
  unposted.delete(answer.id);
  const ups = sentUp.get(answer.id) ?? 0;
  sentUp.delete(answer.id);
  const retiring = ++calls >= data.maxTasksPerWorker;
  if (retiring) {
    // Marked before piscina posts the answer: the pool's load balancer sees the mark before
    // the main thread could offer this worker another call.
    Atomics.store(data.retired, threadId % RETIRED_SLOTS, threadId);
    return { ...answer, up: ups, retired: threadId };
  }
  if (answer.type === "result" && ups === 0) {
    const { value } = answer;
    if (value === null || (typeof value !== "object" && typeof value !== "function")) return value as WireAnswer;
  }
  return { ...answer, up: ups };
}

/**
 * Resolves once what the call wrote to stdout and stderr has reached the main thread. A
 * worker's stdio waits for the main thread to take its data; a worker terminated at shutdown
 * or on recycling would lose what it still buffers, so the answer waits for it.
 */
function outputDrained(): Promise<void> | undefined {
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) return undefined;
  const written = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write("", () => resolve()));
  return Promise.all([written(process.stdout), written(process.stderr)]).then(() => undefined);
}

const server = serveWorker(
  {
    send(message: FromWorkerMessage) {
      if (message.type === "result" || message.type === "error") {
        const wired = wire(message);
        const drained = outputDrained();
        const answer = drained === undefined ? wired : drained.then(() => wired);
        const resolve = answers.get(message.id);
        if (resolve !== undefined) {
          answers.delete(message.id);
          resolve(answer);
        } else {
          syncAnswer = { id: message.id, answer };
        }
        return;
      }
      if (message.type === "hello") return;
      if (message.type === "started") {
        unposted.add(message.id);
        return;
      }
      if (message.type === "message" || message.type === "request") {
        postStarted(message.id);
        postUp(message);
        return;
      }
      up.postMessage(message);
    },
    flush(sent) {
      for (const id of unposted) postStarted(id);
      sent();
    },
    onMessage(handler) {
      down.onmessage = (event: unknown) => handler((event as { data: unknown }).data);
    },
  },
  // Piscina posts answers itself and would crash this worker on a value it cannot clone.
  { peer: "the main thread", checkValues: true },
);
up.postMessage(READY);

await inheritTypeScriptLoader();

/** Runs one call; the answer, or a promise of it. */
export default function run(message: CallMessage): WireAnswer | Promise<WireAnswer> {
  server.receive(message);
  if (syncAnswer !== undefined && syncAnswer.id === message.id) {
    const { answer } = syncAnswer;
    syncAnswer = undefined;
    return answer;
  }
  return new Promise<WireAnswer>((resolve) => answers.set(message.id, resolve));
}
