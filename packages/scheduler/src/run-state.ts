/**
 * The state of one run: why it ends, what error it raises, the work still pending, and the
 * `ExitState` it resolves with. A new one per `run()`, so nothing leaks between runs.
 */

import { Waiters } from "@amltk/task";
import { ExitCode, type ExitState } from "./exit.js";
import type { ExceptionAction } from "./policy.js";
import type { ResolvedRunOptions } from "./run-options.js";

/** Why a run ends. The first reason decided wins. */
export type EndReason =
  | { kind: "exhausted" }
  | { kind: "timeout" }
  | { kind: "stopped"; reason: string; error?: unknown; action?: ExceptionAction }
  | { kind: "exception"; error: unknown }
  | { kind: "cancelled"; error: unknown };

/** One run of a scheduler. */
export class RunState {
  end: EndReason | undefined;
  /** The first error the policy said to raise: `run()` rejects with it. */
  raised: { error: unknown } | undefined;
  /** Async callbacks that have not settled yet, by token, with what they are (for reports). */
  readonly #callbacks = new Map<object, string>();
  /** Whether calls were submitted since `empty` was last emitted (decides re-emission). */
  submittedSinceEmpty = true;
  emptyCheckQueued = false;
  readonly timers = new Set<NodeJS.Timeout>();
  /** Resolves once `end` is decided. */
  readonly ended: Promise<void>;
  #wake!: () => void;
  readonly #workChanged = new Waiters();

  constructor(readonly options: ResolvedRunOptions) {
    this.ended = new Promise((resolve) => (this.#wake = resolve));
  }

  /** Decides how the run ends, unless that is already decided. Returns whether it decided. */
  decide(reason: EndReason): boolean {
    if (this.end !== undefined) return false;
    this.end = reason;
    this.#wake();
    return true;
  }

  /** Async callbacks that have not settled yet. */
  get pendingAsync(): number {
    return this.#callbacks.size;
  }

  /** Counts an async callback as pending work; returns the token that settles it. */
  trackCallback(source: string): object {
    const token = {};
    this.#callbacks.set(token, source);
    return token;
  }

  /** The callback of `token` settled (a no-op once it was abandoned). */
  untrackCallback(token: object): void {
    this.#callbacks.delete(token);
  }

  /** Stops counting every pending callback; returns what they were. */
  abandonCallbacks(): string[] {
    const sources = [...this.#callbacks.values()];
    this.#callbacks.clear();
    return sources;
  }

  /** Resolves at the next change of pending work; callers re-check their condition. */
  workChanged(): Promise<void> {
    return this.#workChanged.wait();
  }

  /** Wakes everyone waiting in `workChanged`. */
  notifyWorkChanged(): void {
    this.#workChanged.wakeAll();
  }

  /** The reason passed to `stop` callbacks. */
  stopReason(): string {
    switch (this.end?.kind) {
      case "stopped":
        return this.end.reason;
      case "exception":
        return "an error ended the run";
      case "cancelled":
        return "a call was cancelled";
      default:
        return String(this.end?.kind);
    }
  }

  /** What `run()` resolves with. */
  exitState(): ExitState {
    const end = this.end;
    switch (end?.kind) {
      case "exhausted":
        return { code: ExitCode.EXHAUSTED };
      case "timeout":
        return { code: ExitCode.TIMEOUT };
      case "exception":
        return { code: ExitCode.EXCEPTION, error: end.error };
      case "cancelled":
        return { code: ExitCode.CANCELLED, error: end.error };
      case "stopped":
        if (end.action === undefined) return { code: ExitCode.STOPPED };
        return end.action === "end"
          ? { code: ExitCode.EXCEPTION, error: end.error }
          : { code: ExitCode.STOPPED, error: end.error };
      default:
        return { code: ExitCode.UNKNOWN };
    }
  }
}
