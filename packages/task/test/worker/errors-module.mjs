// A work module for the worker-plumbing tests: it exports an error class and a function that throws it.
export class ExportedError extends Error {
  constructor(message, detail) {
    super(message);
    this.name = "ExportedError";
    this.detail = detail;
  }
}
export function fail(message) {
  throw new ExportedError(message, { why: "testing" });
}
export function add(a, b) {
  return a + b;
}
export async function later(value) {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return value;
}
export function giveFunction() {
  return { f() {} };
}
export async function waitForAbort() {
  const { taskContext } = await import("../../src/index.ts");
  const { signal } = taskContext();
  await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
  return "aborted";
}
export async function chat(n) {
  const { taskContext } = await import("../../src/index.ts");
  // Destructured on purpose: the context's methods are bound.
  const { send, request, attempt, remainingTime } = taskContext();
  for (let i = 0; i < n; i++) send({ step: i });
  const answer = await request("next?");
  return { answer, attempt, left: remainingTime() };
}
export async function askWithTimeout() {
  const { taskContext } = await import("../../src/index.ts");
  return taskContext().request("anyone?", { timeout: 20 }).then(() => "answered", (error) => error.name);
}
export async function reasonOfCancel() {
  const { taskContext } = await import("../../src/index.ts");
  const { signal } = taskContext();
  taskContext().send("started");
  await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
  const { CancelledError } = await import("../../src/index.ts");
  return signal.reason instanceof CancelledError;
}
export async function sendFunction() {
  const { taskContext } = await import("../../src/index.ts");
  try {
    taskContext().send({ nested: { fn() {} } });
    return "sent";
  } catch (error) {
    return `${error.name} ${error.path}`;
  }
}
