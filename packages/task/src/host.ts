/**
 * The narrow interface between a `Task` and the scheduler that runs it. `Scheduler`
 * implements it; a task never sees more of the scheduler than this.
 */

import type { Callable } from "./function-ref.js";
import type { Future } from "./future.js";
import type { Task } from "./task.js";

/**
 * What a task hears about its own futures. The futures are the task's own, typed by its
 * arguments (`Future<R, Args>`), hence `any` here: the host handles futures of every task.
 */
export interface FutureListener {
  /**
   * The executor took the call; before any event, so the task's counts (and the plugins
   * reading them) already include it when callbacks of `future-submitted` run.
   */
  accepted(future: Future<any, any>): void;
  /** After the scheduler's `future-submitted`. */
  submitted(future: Future<any, any>, args: unknown[]): void;
  /** The call returned (`failed` false) or threw (`failed` true). */
  done(future: Future<any, any>, failed: boolean): void;
  cancelled(future: Future<any, any>): void;
  /** Comm: the running call sent `data`. */
  message(future: Future<any, any>, data: unknown): void;
  /** Comm: the running call asked; resolves with the first answer of a request handler. */
  request(future: Future<any, any>, data: unknown): Promise<unknown>;
}

/** The scheduler as a task sees it. */
export interface TaskHost {
  /** Submits a call on behalf of `task`. Throws when the run is not live. */
  submit(task: Task<any, any>, fn: Callable, args: unknown[], listener: FutureListener): Future<any>;
  /** Whether the run accepts submissions. */
  running(): boolean;
  /** Routes errors thrown by a task's callbacks to the run's `onException` policy. */
  reportCallbackErrors(errors: unknown[], source: string): void;
  /** Counts an async callback as pending work and routes its rejection to the policy. */
  trackAsyncCallback(promise: Promise<unknown>, source: string): void;
  /** Lists the task in the scheduler's renderings. */
  adoptTask(task: Task<any, any>): void;
  /**
   * Tells `observer` each time one of the host's calls starts executing (its future went
   * from `"pending"` to `"running"`), for tools such as `@amltk/monitor` that draw when calls
   * ran. Not an event: starts are too frequent and too internal to be part of the event list
   * every rendering shows. Optional, so hosts that cannot observe starts may leave it out.
   * Returns a function that stops observing.
   */
  observeRunning?(observer: (future: Future<any, any>) => void): () => void;
}

/** The key under which a scheduler exposes its `TaskHost`. */
export const taskHost: unique symbol = Symbol.for("amltk.task-host") as never;

/** Anything that can host tasks: a `Scheduler`. */
export interface HasTaskHost {
  readonly [taskHost]: TaskHost;
}
