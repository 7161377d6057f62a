/**
 * Test helpers: a recorder of every scheduler and task event (with `running()` at the time),
 * and small functions to submit.
 */
import { Scheduler, type Task } from "../src/index.js";

export const SCHEDULER_EVENTS = [
  "start",
  "future-submitted",
  "future-done",
  "future-result",
  "future-exception",
  "future-cancelled",
  "empty",
  "timeout",
  "stop",
  "finishing",
  "finished",
] as const;

export const TASK_EVENTS = ["submitted", "done", "result", "exception", "cancelled"] as const;

/** Records `S:event` and `T:event`, with `(running)` when `scheduler.running()` was true. */
export function record(scheduler: Scheduler, ...tasks: Task<any, any>[]): string[] {
  const trace: string[] = [];
  for (const name of SCHEDULER_EVENTS) {
    scheduler.on(name, () => trace.push(`S:${name}${scheduler.running() ? "(running)" : ""}`), { name: `record-${name}` });
  }
  for (const task of tasks) {
    for (const name of TASK_EVENTS) task.on(name, () => trace.push(`T:${name}`), { name: `record-${name}` });
  }
  return trace;
}

/** The non-zero event counts of an emitter, as a plain object. */
export function counts(emitter: { eventCounts: Map<string, number> }): Record<string, number> {
  return Object.fromEntries([...emitter.eventCounts].filter(([, n]) => n > 0));
}

export const identity = <T>(x: T): T => x;
export const increment = (x: number): number => x + 1;
export const fail = (message: string): never => {
  throw new RangeError(message);
};
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** An async call that takes `ms` and returns it. */
export const sleepFor = async (ms: number): Promise<number> => {
  await sleep(ms);
  return ms;
};

/** An async job that records the most jobs seen running at once. */
export function concurrencyProbe(ms = 5) {
  const probe = {
    active: 0,
    maxActive: 0,
    job: async () => {
      probe.active++;
      probe.maxActive = Math.max(probe.maxActive, probe.active);
      await sleep(ms);
      probe.active--;
    },
  };
  return probe;
}
