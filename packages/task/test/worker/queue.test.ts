/**
 * `SerialCallQueue`: a worker runs calls handed to it ahead of time one at a time, in order,
 * and can drop (cancel) or give back (withdraw) those that have not started.
 */
import { describe, expect, it } from "vitest";
import { CallRunner, SerialCallQueue, callMessage, decodeError, functionRefOf, type AnswerMessage } from "./helpers.js";
import { CancelledError } from "../../src/index.js";

const MODULE = new URL("./errors-module.mjs", import.meta.url).href;
const call = (id: number, name: string, args: unknown[]) => callMessage({ id, fn: functionRefOf(MODULE, name), args, attempt: 1 }, functionRefOf(MODULE, name));

describe("SerialCallQueue", () => {
  it("runs queued calls one at a time, in order, and drops or gives back those not started", async () => {
    const answers: AnswerMessage[] = [];
    const queue = new SerialCallQueue(new CallRunner(), (answer, sent) => {
      answers.push(answer);
      sent();
    });
    queue.push(call(1, "later", ["first"]));
    queue.push(call(2, "later", ["second"]));
    queue.push(call(3, "later", ["third"]));
    queue.push(call(4, "later", ["fourth"]));
    queue.cancel(2);
    queue.withdraw(3);
    queue.withdraw(1); // running: left alone
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answers.map((a) => [a.id, a.type])).toEqual([
      [2, "error"],
      [3, "error"],
      [1, "result"],
      [4, "result"],
    ]);
    const dropped = answers[0]!;
    expect(dropped.type === "error" && decodeError(dropped.error)).toBeInstanceOf(CancelledError);
  });
});
