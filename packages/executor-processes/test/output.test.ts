import { PassThrough } from "node:stream";
import { afterEach, expect, it, vi } from "vitest";
import { LineForwarder } from "../src/output.js";

afterEach(() => {
  vi.useRealTimers();
});

function forwarder(keepTail = false) {
  vi.useFakeTimers();
  const from = new PassThrough();
  const to = new PassThrough();
  let written = "";
  to.setEncoding("utf8");
  to.on("data", (chunk: string) => (written += chunk));
  const lines = new LineForwarder(from, to, "[w] ", keepTail);
  return { from, lines, written: () => written };
}

it("prefixes complete lines and keeps the stderr tail", async () => {
  const { from, lines, written } = forwarder(true);
  from.write("one\ntwo\nthr");
  await vi.advanceTimersByTimeAsync(0);
  expect(written()).toBe("[w] one\n[w] two\n");
  expect(lines.tail()).toBe("one\ntwo\nthr");
});

it("writes out a line that has no newline yet after a short while, not at the next newline", async () => {
  const { from, written } = forwarder();
  from.write("progress 50%");
  await vi.advanceTimersByTimeAsync(50);
  expect(written()).toBe("");
  await vi.advanceTimersByTimeAsync(100);
  expect(written()).toBe("[w] progress 50%\n");
  from.write("\rprogress 100%\n");
  await vi.advanceTimersByTimeAsync(0);
  expect(written()).toBe("[w] progress 50%\n[w] \rprogress 100%\n");
});
