/**
 * References to the suite's work modules, plain `.mjs` files shipped beside `dist/` so that
 * every worker (thread, process, remote) can import them without a build step.
 */

import { fromModule } from "@amltk/task";

/** The URL of a fixture module by file name. */
export function fixtureUrl(file: string): URL {
  return new URL(`../fixtures/${file}`, import.meta.url);
}

/** The shape of `fixtures/work.mjs`, for typed references. */
export interface WorkModule {
  WorkError: new (message: string, options?: { cause?: unknown }) => Error & { code: string; detail: unknown };
  increment(x: number): number;
  echo<T>(value: T): T;
  sleep<T>(ms: number, value: T): Promise<T>;
  throwBuiltin(kind: string, message: string): never;
  throwWork(message: string): never;
  throwRegistered(message: string): never;
  rejectAsync(message: string): Promise<never>;
  cooperative(): Promise<string>;
  spin(ms?: number): number;
  context(): { attempt: number; aborted: boolean; remaining: number };
  whoAmI(): { pid: number; threadId: number; calls: number };
  exitNow(code: number): never;
  crashInTimer(message: string): Promise<never>;
  returnFunction(): { ok: number; callback: () => number };
  allocate(): never;
  log(line: string): string;
  crashWithStderr(message: string): never;
  exitIf(code: number): number;
  startedThenSleep<T>(ms: number, value: T): Promise<T>;
  throwLater(ms: number, message: string): string;
  bigOutput(tag: string, lines: number): number;
  startedThenCooperative(): Promise<string>;
  startedThenSpin(): number;
  startedThenHang(): Promise<never>;
  sendNumbered(n: number): number;
  ask(data: unknown, timeout?: number): Promise<Seen | { ok: true; value: unknown }>;
  sendUnsendable(): Seen | { ok: true };
  recorded(key: string, ms?: number): Promise<unknown>;
  recordCancelReason(key: string): Promise<string>;
  recordPendingRequest(key: string, ms?: number): Promise<string>;
  throwWhenNextCallRuns(message: string): string;
  releaseLateError(ms: number): Promise<string>;
}

/** How an error caught inside a worker looked there, as plain data (see `seen` in work.mjs). */
export interface Seen {
  readonly ok: false;
  readonly name: string;
  readonly message: string;
  /** The amltk class the error was an instance of in the worker, or null. */
  readonly instanceOf: string | null;
  readonly path: string | null;
  readonly causeName: string | null;
  readonly causeMessage: string | null;
}

/** `fromModule` refs to the suite's work functions. */
export const work = fromModule<WorkModule>(fixtureUrl("work.mjs"));

/** `fromModule` refs to a module that throws at import. */
export const badModule = fromModule<{ never(): string }>(fixtureUrl("bad-module.mjs"));

/** `fromModule` refs to a module that exits its worker at import. */
export const exitingModule = fromModule<{ never(): string }>(fixtureUrl("exit-at-import.mjs"));

/** `fromModule` refs to a module whose import takes 300 ms (a top-level await). */
export const slowImport = fromModule<{ importedThenStarted(): { importedAt: number; ranAt: number } }>(fixtureUrl("slow-import.mjs"));

/**
 * A module to preload into a Node worker process (`node --import <url>`) that makes its
 * worker say `hello` with a protocol version nobody speaks, for `protocolMismatch` factories.
 *
 * @example
 * ```ts
 * processes({ maxWorkers: 1, execArgv: ["--import", wrongProtocolPreload.href] });
 * ```
 */
export const wrongProtocolPreload: URL = fixtureUrl("wrong-protocol.mjs");

/** The module of the error class `throwRegistered` throws (not exported by work.mjs). */
export async function importWorkModule(): Promise<{ WorkError: WorkModule["WorkError"] }> {
  return (await import(fixtureUrl("work.mjs").href)) as { WorkError: WorkModule["WorkError"] };
}

/** The module of `RegisteredError`. */
export async function importErrorsModule(): Promise<{ RegisteredError: new (message: string, detail: string) => Error & { detail: string } }> {
  return (await import(fixtureUrl("errors.mjs").href)) as {
    RegisteredError: new (message: string, detail: string) => Error & { detail: string };
  };
}
