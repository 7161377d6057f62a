/**
 * The worker-thread entry point piscina loads (its own build entry, `dist/worker.js`). It is
 * the shared `CallRunner` plus this transport's details: calls arrive as piscina tasks,
 * cancel requests on a BroadcastChannel, and a worker that has run `maxTasksPerWorker`
 * calls marks itself retired before answering the last one.
 */

import { BroadcastChannel, threadId, workerData } from "node:worker_threads";
import { CallRunner, type AnswerMessage, type CallMessage } from "@amltk/task/worker";
import { inheritTypeScriptLoader } from "./loaders.js";
import { READY, RETIRED_SLOTS, type ThreadsWorkerData } from "./worker-data.js";

const data = workerData as ThreadsWorkerData;
// Piscina posts the answer itself and would crash this worker on a value it cannot clone,
// so results are checked here first (one typeof for a primitive).
const runner = new CallRunner({ checkResults: true, peer: "the main thread" });

// Subscribed before anything is awaited: a cancel posted while this worker boots would
// otherwise be lost (a BroadcastChannel does not replay), and the runner remembers it.
const channel = new BroadcastChannel(data.cancelChannel);
// Cancel requests must never keep a worker alive.
channel.unref();
channel.onmessage = (event: unknown) => {
  const { data } = event as { data: unknown };
  if (typeof data === "number") runner.cancel(data);
};
channel.postMessage(READY);

await inheritTypeScriptLoader();

let calls = 0;
const max = data.maxTasksPerWorker;

/** An answer that also tells the main thread this worker retires now. */
export type RetiringAnswer = AnswerMessage & { readonly retired: number };

function retire(answer: AnswerMessage): RetiringAnswer {
  // Marked before piscina posts the answer: the pool's load balancer sees the mark before
  // the main thread could offer this worker another call.
  Atomics.store(data.retired, threadId % RETIRED_SLOTS, threadId);
  return { ...answer, retired: threadId };
}

/**
 * What the worker posts for `answer`: a result that is a primitive (or null) goes as the bare
 * value, which the main thread tells apart from an answer message because a message is always
 * an object. Most calls return a number or a string; this saves building, cloning and
 * reading a wrapper per call.
 */
export type WireAnswer = AnswerMessage | RetiringAnswer | string | number | boolean | bigint | null | undefined;

function compact(answer: AnswerMessage): WireAnswer {
  if (answer.type !== "result") return answer;
  const { value } = answer;
  return value === null || (typeof value !== "object" && typeof value !== "function") ? (value as WireAnswer) : answer;
}

/** Runs one call; the answer, or a promise of it. */
export default function run(message: CallMessage): WireAnswer | Promise<WireAnswer> {
  const answer = runner.run(message);
  if (++calls < max) return answer instanceof Promise ? answer.then(compact) : compact(answer);
  return answer instanceof Promise ? answer.then(retire) : retire(answer);
}
