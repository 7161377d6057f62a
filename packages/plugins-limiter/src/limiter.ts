/**
 * `Limiter`: a task plugin that vetoes submissions past a total number of calls, past a
 * number of concurrent calls, or while other tasks are running, emitting one event per
 * vetoed submission so callers can requeue.
 */

import { AmltkError, Event, InvalidArgumentError, checkOptions } from "@amltk/events";
import type { Callable, Plugin, Task } from "@amltk/task";

/** Options for `new Limiter()`. */
export interface LimiterOptions {
  /** The most successful submissions the task may make. Integer >= 1. */
  maxCalls?: number | undefined;
  /** The most calls of the task that may be unfinished at once. Integer >= 1. */
  maxConcurrent?: number | undefined;
  /** Refuse submissions while any of these tasks has an unfinished call. */
  notWhileRunning?: Task<any, any> | readonly Task<any, any>[] | undefined;
}

function limit(path: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(path, "an integer >= 1", value);
  }
  return value;
}

/**
 * Limits a task's submissions. `maxCalls` counts the task's successful submissions (refused
 * ones do not count; nor do calls submitted before the Limiter existed, as it is attached
 * when the task is created). Checks, in order: `maxCalls`, `maxConcurrent`,
 * `notWhileRunning`; the first limit hit vetoes the submission (`task.submit` returns
 * `undefined`) and emits one event through the task:
 * - `call-limit-reached(task, ...args)`
 * - `concurrent-limit-reached(task, ...args)`
 * - `disabled-due-to-running-task(otherTask, task, ...args)`
 *
 * A `Limiter` belongs to one task.
 *
 * @example
 * ```ts
 * import { Limiter } from "@amltk/plugins-limiter";
 * const task = scheduler.task(train, { plugins: [new Limiter({ maxConcurrent: 2 })] });
 * task.on(Limiter.CONCURRENT_LIMIT_REACHED, (_task, x: number) => items.unshift(x));
 * ```
 */
export class Limiter implements Plugin {
  // The submitted arguments are typed `any`: the events are shared by every task a Limiter
  // can limit, and callbacks name them as the task's own parameters, e.g. `(task, x) => ...`.
  static readonly CALL_LIMIT_REACHED = new Event<[task: Task<any, any>, ...args: any[]]>("call-limit-reached");
  static readonly CONCURRENT_LIMIT_REACHED = new Event<[task: Task<any, any>, ...args: any[]]>(
    "concurrent-limit-reached",
  );
  static readonly DISABLED_DUE_TO_RUNNING_TASK = new Event<
    [otherTask: Task<any, any>, task: Task<any, any>, ...args: any[]]
  >("disabled-due-to-running-task");

  readonly name = "limiter";
  readonly maxCalls: number | undefined;
  readonly maxConcurrent: number | undefined;
  readonly notWhileRunning: readonly Task<any, any>[];
  #task: Task<any, any> | undefined;

  constructor(options: LimiterOptions = {}) {
    checkOptions("options", options as unknown, ["maxCalls", "maxConcurrent", "notWhileRunning"]);
    options ??= {};
    this.maxCalls = limit("options.maxCalls", options.maxCalls);
    this.maxConcurrent = limit("options.maxConcurrent", options.maxConcurrent);
    const others = options.notWhileRunning;
    this.notWhileRunning = others === undefined ? [] : Array.isArray(others) ? [...others] : [others as Task<any, any>];
    this.notWhileRunning.forEach((other, i) => {
      if (typeof other?.running !== "function") {
        throw new InvalidArgumentError(`options.notWhileRunning[${i}]`, "a Task", other);
      }
    });
  }

  /** Successful submissions of the limited task so far. */
  get calls(): number {
    return this.#task?.nSubmitted ?? 0;
  }

  attachTask(task: Task<any, any>): void {
    if (this.#task !== undefined) {
      throw new InvalidArgumentError("task", `a single task per Limiter (already attached to "${this.#task.name}")`, task);
    }
    if (this.notWhileRunning.includes(task)) {
      throw new InvalidArgumentError(
        "options.notWhileRunning",
        `a list without the limited task itself ("${task.name}")`,
        this.notWhileRunning,
      );
    }
    this.#task = task;
    task.addEvent(Limiter.CALL_LIMIT_REACHED, Limiter.CONCURRENT_LIMIT_REACHED, Limiter.DISABLED_DUE_TO_RUNNING_TASK);
  }

  preSubmit(fn: Callable, args: unknown[]): [Callable, unknown[]] | undefined {
    const task = this.#task;
    if (task === undefined) {
      throw new AmltkError("Limiter.preSubmit was called before attachTask; pass the Limiter in a task's plugins.", {
        code: "ERR_AMLTK_PLUGIN_NOT_ATTACHED",
      });
    }
    // The task's counts include a call as soon as the executor took it, before any event, so
    // a submit from a `future-submitted` callback sees it.
    if (this.maxCalls !== undefined && task.nSubmitted >= this.maxCalls) {
      task.emit(Limiter.CALL_LIMIT_REACHED, task, ...args);
      return undefined;
    }
    if (this.maxConcurrent !== undefined && task.nRunning >= this.maxConcurrent) {
      task.emit(Limiter.CONCURRENT_LIMIT_REACHED, task, ...args);
      return undefined;
    }
    for (const other of this.notWhileRunning) {
      if (other.running()) {
        task.emit(Limiter.DISABLED_DUE_TO_RUNNING_TASK, other, task, ...args);
        return undefined;
      }
    }
    return [fn, args];
  }

  describe(): Record<string, string> {
    const rows: Record<string, string> = {};
    if (this.maxCalls !== undefined) rows["Calls"] = `${this.calls}/${this.maxCalls}`;
    if (this.maxConcurrent !== undefined) rows["Concurrent"] = `${this.#task?.nRunning ?? 0}/${this.maxConcurrent}`;
    if (this.notWhileRunning.length > 0) {
      rows["Not while"] = this.notWhileRunning
        .map((t) => `${t.name}${t.running() ? " [running]" : ""}`)
        .join(", ");
    }
    return rows;
  }
}
