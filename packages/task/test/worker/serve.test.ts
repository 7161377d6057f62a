/**
 * `serveWorker` driven over an in-memory `MessageChannel`, as a transport would drive it: the
 * handshake, the order of `started`, Comm and answers, cancel and withdraw, bad messages, and
 * the rule that the next call waits until the previous answer has left.
 */
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import {
  PROTOCOL_VERSION,
  ProtocolError,
  UnsendableValueError,
  decodeError,
  parseMessage,
  serveWorker,
  type ErrorMessage,
  type FromWorkerMessage,
  type ToWorkerMessage,
  type WorkerEndpoint,
} from "./helpers.js";
import { CancelledError } from "../../src/index.js";

const MODULE = new URL("./errors-module.mjs", import.meta.url).href;
const ports: MessagePort[] = [];

afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

/** A worker served on one end of a channel; the test is the main side on the other. */
function connect(options: Parameters<typeof serveWorker>[1] = {}, endpoint?: (port: MessagePort) => WorkerEndpoint) {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const received: FromWorkerMessage[] = [];
  const waiters: Array<() => void> = [];
  port2.on("message", (raw) => {
    received.push(parseMessage(raw, "from-worker"));
    for (const wake of waiters.splice(0)) wake();
  });
  const server = serveWorker(
    endpoint?.(port1) ?? { send: (m) => port1.postMessage(m), onMessage: (h) => port1.on("message", h) },
    { catchUncaught: false, ...options },
  );
  const post = (message: ToWorkerMessage | Record<string, unknown>) => port2.postMessage(message);
  /** Resolves once a received message matches. */
  const until = async (match: (m: FromWorkerMessage) => boolean): Promise<FromWorkerMessage> => {
    for (;;) {
      const found = received.find(match);
      if (found !== undefined) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const answerOf = (id: number) => until((m) => (m.type === "result" || m.type === "error") && m.id === id);
  post({ type: "welcome", v: PROTOCOL_VERSION, worker: "test worker" });
  return { server, received, post, until, answerOf };
}

const define = (fn: number, exportName: string) => ({ type: "define", fn, module: MODULE, exportName }) as const;
const call = (id: number, fn: number, args: unknown[], extra: Record<string, unknown> = {}) =>
  ({ type: "call", id, fn, args, attempt: 1, ...extra }) as const;

describe("serveWorker", () => {
  it("says hello first, with its version and slots", async () => {
    const { until } = connect({ slots: 2, name: "w1" });
    const hello = await until((m) => m.type === "hello");
    expect(hello).toMatchObject({ type: "hello", v: PROTOCOL_VERSION, slots: 2, pid: process.pid, name: "w1" });
  });

  it("answers a defined call with started, then the result", async () => {
    const { post, answerOf, received } = connect();
    post(define(0, "add"));
    post(call(1, 0, [2, 3]));
    expect(await answerOf(1)).toEqual({ type: "result", id: 1, value: 5 });
    const order = received.filter((m) => m.type !== "hello").map((m) => m.type);
    expect(order).toEqual(["started", "result"]);
  });

  it("names functions inline too, for transports that cannot address a worker", async () => {
    const { post, answerOf } = connect();
    post({ type: "call", id: 1, module: MODULE, exportName: "add", args: [1, 1], attempt: 1 });
    expect(await answerOf(1)).toMatchObject({ type: "result", value: 2 });
  });

  it("carries Comm: messages in order before the answer, a request answered by the main side", async () => {
    const { post, until, answerOf, received } = connect();
    post(define(0, "chat"));
    post(call(7, 0, [3], { attempt: 2, deadline: Date.now() + 60_000 }));
    const request = await until((m) => m.type === "request");
    expect(request).toMatchObject({ type: "request", id: 7, data: "next?" });
    post({ type: "response", id: 7, rid: (request as { rid: number }).rid, ok: true, value: 0.01 });
    const answer = (await answerOf(7)) as { value: { answer: number; attempt: number; left: number } };
    expect(answer.value.answer).toBe(0.01);
    expect(answer.value.attempt).toBe(2);
    expect(answer.value.left).toBeGreaterThan(50_000);
    expect(answer.value.left).toBeLessThanOrEqual(60_000);
    const ofCall = received.filter((m) => "id" in m && m.id === 7);
    expect(ofCall.map((m) => m.type)).toEqual(["started", "message", "message", "message", "request", "result"]);
    expect(ofCall.filter((m) => m.type === "message").map((m) => (m as { data: unknown }).data)).toEqual([
      { step: 0 },
      { step: 1 },
      { step: 2 },
    ]);
  });

  it("times a request out with RequestTimeoutError when nobody answers", async () => {
    const { post, answerOf } = connect();
    post(define(0, "askWithTimeout"));
    post(call(1, 0, []));
    expect(await answerOf(1)).toMatchObject({ value: "RequestTimeoutError" });
  });

  it("refuses Comm data the transport cannot carry, at once, naming the path", async () => {
    const { post, answerOf } = connect();
    post(define(0, "sendFunction"));
    post(call(1, 0, []));
    expect(await answerOf(1)).toMatchObject({ value: "UnsendableValueError data.nested.fn" });
  });

  it("aborts a running call's signal with a real CancelledError, and drops a queued one", async () => {
    const { post, until, answerOf } = connect();
    post(define(0, "reasonOfCancel"));
    post(call(1, 0, []));
    post(call(2, 0, []));
    await until((m) => m.type === "message" && m.id === 1);
    post({ type: "cancel", id: 2 });
    post({ type: "cancel", id: 1 });
    const queued = (await answerOf(2)) as ErrorMessage;
    expect(decodeError(queued.error)).toBeInstanceOf(CancelledError);
    expect(await answerOf(1)).toMatchObject({ type: "result", value: true });
  });

  it("gives back a withdrawn call that has not started, and leaves a started one alone", async () => {
    const { post, until, answerOf, received } = connect();
    post(define(0, "reasonOfCancel"));
    post(define(1, "add"));
    post(call(1, 0, []));
    post(call(2, 1, [1, 2]));
    await until((m) => m.type === "message" && m.id === 1);
    post({ type: "withdraw", id: 2 });
    post({ type: "withdraw", id: 1 });
    const withdrawn = (await answerOf(2)) as ErrorMessage;
    expect(decodeError(withdrawn.error)).toBeInstanceOf(CancelledError);
    expect(received.some((m) => m.type === "started" && m.id === 2)).toBe(false);
    post({ type: "cancel", id: 1 });
    expect(await answerOf(1)).toMatchObject({ type: "result", value: true });
  });

  it("answers a malformed call with a ProtocolError and reports other bad messages", async () => {
    const { post, answerOf, until } = connect();
    post({ type: "call", id: 5, fn: 0, args: "not an array", attempt: 1 });
    const answer = (await answerOf(5)) as ErrorMessage;
    const error = decodeError(answer.error);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toContain('field "args"');
    post({ type: "explode" });
    const warning = await until((m) => m.type === "warning");
    expect((warning as { text: string }).text).toContain('Unknown to-worker message type the string "explode"');
    post(call(6, 9, []));
    const undefinedFn = (await answerOf(6)) as ErrorMessage;
    expect((decodeError(undefinedFn.error) as Error).message).toContain("before a \"define\"");
  });

  it("fails a call whose result cannot be carried with UnsendableValueError naming the path", async () => {
    const { post, answerOf } = connect({ checkValues: true });
    post(define(0, "giveFunction"));
    post(call(1, 0, []));
    const error = decodeError(((await answerOf(1)) as ErrorMessage).error) as UnsendableValueError;
    expect(error).toBeInstanceOf(UnsendableValueError);
    expect(error.path).toBe("result.f");
  });

  it("starts the next call only after the previous answer has left", async () => {
    const log: string[] = [];
    let release: (() => void) | undefined;
    const { post, answerOf } = connect({}, (port) => {
      const held: FromWorkerMessage[] = [];
      return {
        send: (m) => held.push(m),
        // The first flush that carries an answer is held until the test releases it.
        flush: (sent) => {
          const batch = held.splice(0);
          for (const m of batch) port.postMessage(m);
          if (batch.some((m) => m.type === "result") && release === undefined) {
            log.push("answer written, waiting");
            release = () => {
              log.push("released");
              sent();
            };
          } else {
            sent();
          }
        },
        onMessage: (h) => port.on("message", h),
      };
    });
    post(define(0, "add"));
    post(call(1, 0, [1, 1]));
    post(call(2, 0, [2, 2]));
    await answerOf(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(["answer written, waiting"]);
    release!();
    expect(await answerOf(2)).toMatchObject({ value: 4 });
    expect(log).toEqual(["answer written, waiting", "released"]);
  });

  it("runs up to `slots` calls at once", async () => {
    const { post, until, server } = connect({ slots: 2 });
    post(define(0, "reasonOfCancel"));
    for (const id of [1, 2, 3]) post(call(id, 0, []));
    await until((m) => m.type === "message" && m.id === 2);
    expect(server.running).toBe(2);
    expect(server.queued).toBe(1);
    for (const id of [1, 2, 3]) post({ type: "cancel", id });
  });

  it("answers ping with pong, and calls onClose once the calls it holds are answered", async () => {
    let closed: string | undefined;
    const { post, until, answerOf } = connect({ onClose: (reason) => (closed = reason) });
    post({ type: "ping", t: 42 });
    expect(await until((m) => m.type === "pong")).toEqual({ type: "pong", t: 42 });
    post(define(0, "later"));
    post(call(1, 0, ["x"]));
    post({ type: "close", reason: "shutdown" });
    await answerOf(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe("shutdown");
  });
});
