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
