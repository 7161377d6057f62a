/**
 * What every case module shares: the suite context (the backend's factory, capabilities and
 * a scheduler runner that checks nothing is left behind), and small helpers to settle
 * futures, wait for a condition with a bound, and hand-drive an executor.
 */

import { expect, it } from "vitest";
import { Scheduler, type Executor, type Future, type SubmitOptions } from "@amltk/scheduler";
import type { ExecutorCapabilities, ExecutorProfile, MakeExecutor } from "../capabilities.js";

/** Generous bound for anything that waits on a worker; the machine may be busy. */
export const SLOW = 15_000;

/**
 * Added to the bound of "returns promptly" checks (`cancelGraceMs * 2 + PROMPT_MARGIN_MS`):
 * room for a worker to be replaced on a busy machine, and far below `SLOW`, so the
 * assertion fails before the test's own timeout does.
 */
export const PROMPT_MARGIN_MS = 2000;

/** A case body, registered as a test or a visible skip. */
export type CaseRegistrar = (title: string, fn: () => Promise<void>, timeout?: number) => void;

/**
 * What a case module (and a backend's `additionalTests`) gets from the suite.
 *
 * @example
 * ```ts
 * export function myCases(ctx: SuiteContext): void {
 *   ctx.maybe(ctx.caps.crash, "cannot survive a crash")("survives", async () => {
 *     await ctx.withScheduler({}, async (scheduler) => { ... });
 *   });
 * }
 * ```
 */
export interface SuiteContext {
  /** The backend's name, as given to `testExecutor`. */
  readonly name: string;
  readonly make: MakeExecutor;
  readonly caps: ExecutorCapabilities;
  /** `it` when `flag` holds; else a skip whose title says why, so skips show in reports. */
  maybe(flag: boolean | undefined, why: string): CaseRegistrar;
  /** Runs `body` with a scheduler on a fresh executor, then checks nothing is left behind. */
  withScheduler(
    profile: Partial<ExecutorProfile>,
    body: (scheduler: Scheduler, executor: Executor) => void | Promise<void>,
  ): Promise<void>;
  /** Checks that `executor` has no live worker and that every pid in `seen` is gone. */
  expectNoLeftovers(executor: Executor, seen: ReadonlySet<number>): Promise<void>;
}

/**
 * The suite context for a backend.
 *
 * @example
 * ```ts
 * const ctx = suiteContext("threads", make, { outOfProcess: true });
 * ```
 */
export function suiteContext(name: string, make: MakeExecutor, caps: ExecutorCapabilities): SuiteContext {
  const maybe = (flag: boolean | undefined, why: string): CaseRegistrar => (title, fn, timeout) =>
    (flag ? it : it.skip)(flag ? title : `${title} [skipped: ${name} ${why}]`, fn, timeout);

  async function expectNoLeftovers(executor: Executor, seen: ReadonlySet<number>): Promise<void> {
    if (caps.inspect === undefined) return;
    const { live, pids = [] } = caps.inspect(executor);
    expect(live).toBe(0);
    for (const pid of new Set([...seen, ...pids])) await eventually(() => !pidAlive(pid), `worker process ${pid} to exit`);
  }

  async function withScheduler(
    profile: Partial<ExecutorProfile>,
    body: (scheduler: Scheduler, executor: Executor) => void | Promise<void>,
  ): Promise<void> {
    const executor = make({ maxWorkers: 2, ...profile });
    const scheduler = new Scheduler({ executor });
    // The worker processes seen while the run goes on: after it, each must be gone.
    const seen = new Set<number>();
    const sample = () => {
      for (const pid of caps.inspect?.(executor).pids ?? []) seen.add(pid);
    };
    for (const event of ["future-submitted", "future-done", "future-cancelled", "finishing"] as const) {
      scheduler.on(event, sample, { hidden: true, name: "testkit-sample-pids" });
    }
    try {
      await body(scheduler, executor);
    } finally {
      await expectNoLeftovers(executor, seen);
    }
  }

  return { name, make, caps, maybe, withScheduler, expectNoLeftovers };
}

/** `SubmitOptions` for driving an executor by hand, with `cancel(reason)` to cancel the call. */
export type ManualSubmitOptions = SubmitOptions & { cancel(reason: unknown): void };

/**
 * Submit options for a call submitted straight to an executor (no scheduler).
 *
 * @example
 * ```ts
 * const options = submitOptions({ onRunning: () => (runningAt = Date.now()) });
 * await executor.submit({ id: 1, fn: work.increment, args: [1], attempt: 1 }, options);
 * ```
 */
export function submitOptions(
  hooks: {
    onRunning?: (worker?: string) => void;
    onMessage?: (data: unknown) => void;
    onRequest?: (data: unknown) => Promise<unknown>;
  } = {},
): ManualSubmitOptions {
  let requested = false;
  let reason: unknown;
  const callbacks: Array<(reason: unknown) => void> = [];
  let controller: AbortController | undefined;
  return {
    get signal() {
      controller ??= new AbortController();
      if (requested) controller.abort(reason);
      return controller.signal;
    },
    get cancelRequested() {
      return requested;
    },
    onCancel(callback) {
      if (requested) callback(reason);
      else callbacks.push(callback);
    },
    onRunning: hooks.onRunning ?? (() => {}),
    onMessage: hooks.onMessage ?? (() => {}),
    onRequest: hooks.onRequest ?? (() => Promise.reject(new Error("no responder in this test"))),
    cancel(why) {
      if (requested) return;
      requested = true;
      reason = why;
      controller?.abort(why);
      for (const callback of callbacks) callback(why);
    },
  };
}

/** The outcome of a future or promise, as data. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Resolves with the outcome of `future` instead of throwing.
 *
 * @example
 * ```ts
 * const out = await settled(scheduler.submit(work.exitNow, 3)); // { ok: false, error }
 * ```
 */
export function settled<T>(future: Future<T> | PromiseLike<T>): Promise<Settled<T>> {
  return Promise.resolve(future).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/**
 * Resolves once `check()` holds; rejects naming `what` after `ms`. For conditions with no
 * event to wait on (a process id disappearing); everything else waits on a signal.
 *
 * @example
 * ```ts
 * await eventually(() => !pidAlive(pid), `process ${pid} to exit`);
 * ```
 */
export async function eventually(check: () => boolean, what: string, ms = SLOW): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Waited ${ms} ms for ${what}.`);
    await new Promise((poll) => setTimeout(poll, 20));
  }
}

/**
 * `promise`, or a rejection naming `what` once `ms` passed: a bound that fails a case with
 * a clear message before the test's own timeout.
 *
 * @example
 * ```ts
 * const warning = await within(warned, 5_000, "the late error's warning");
 * ```
 */
export function within<T>(promise: PromiseLike<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms.`)), ms);
  });
  return Promise.race([Promise.resolve(promise), bound]).finally(() => clearTimeout(timer));
}

/**
 * A promise with its resolve function, for events a case waits on.
 *
 * @example
 * ```ts
 * const started = deferred<void>();
 * task.onMessage(() => started.resolve());
 * await started.promise;
 * ```
 */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Whether process `pid` exists. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
