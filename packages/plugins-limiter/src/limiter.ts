/**
 * `Limiter`: a task plugin that vetoes submissions past a total number of calls, past a
 * number of concurrent calls, or while other tasks are running, emitting one event per
 * vetoed submission so callers can requeue.
 */

import { AmltkError, Event, InvalidArgumentError, checkOptions, type Subscriber } from "@amltk/events";
import type { Callable, Plugin, Task } from "@amltk/task";

/**
 * A task of unknown arguments and result. Every `Task<Args, R>` is one, so the static events
 * and options accept any task without `any`.
 */
export type SomeTask = Task<unknown[], unknown>;

/**
 * The Limiter's events on one task, typed from that task: the refused arguments are the
 * task function's parameters. Get them with `Limiter.events(task)`.
 */
export interface LimiterEvents<Args extends unknown[], R> {
  /** `(task, ...args)` when a submission was refused by `maxCalls`. */
  readonly onCallLimitReached: Subscriber<[task: Task<Args, R>, ...args: Args]>;
  /** `(task, ...args)` when a submission was refused by `maxConcurrent`. */
  readonly onConcurrentLimitReached: Subscriber<[task: Task<Args, R>, ...args: Args]>;
  /** `(otherTask, task, ...args)` when a submission was refused by `notWhileRunning`. */
  readonly onDisabledDueToRunningTask: Subscriber<[otherTask: SomeTask, task: Task<Args, R>, ...args: Args]>;
}

/** Options for `new Limiter()`. */
export interface LimiterOptions {
  /** The most successful submissions the task may make. Integer >= 1. */
  maxCalls?: number | undefined;
  /** The most calls of the task that may be unfinished at once. Integer >= 1. */
  maxConcurrent?: number | undefined;
  /** Refuse submissions while any of these tasks has an unfinished call. */
  notWhileRunning?: SomeTask | readonly SomeTask[] | undefined;
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
 * A `Limiter` belongs to one task. `Limiter.events(task)` gives the events typed from the
 * task; the static `Event`s (and the names) fit every task, so their arguments are `unknown`.
 *
 * @example
 * ```ts
 * import { Limiter } from "@amltk/plugins-limiter";
 * const task = scheduler.task(train, { plugins: [new Limiter({ maxConcurrent: 2 })] });
 * Limiter.events(task).onConcurrentLimitReached((_task, epochs) => items.unshift(epochs)); // epochs: number
 * ```
 */
export class Limiter implements Plugin {
  // Shared by every task a Limiter can limit, so the arguments are `unknown` here; callbacks
  // that want them typed use `Limiter.events(task)`.
  static readonly CALL_LIMIT_REACHED = new Event<[task: SomeTask, ...args: unknown[]]>("call-limit-reached");
  static readonly CONCURRENT_LIMIT_REACHED = new Event<[task: SomeTask, ...args: unknown[]]>(
    "concurrent-limit-reached",
  );
  static readonly DISABLED_DUE_TO_RUNNING_TASK = new Event<[otherTask: SomeTask, task: SomeTask, ...args: unknown[]]>(
    "disabled-due-to-running-task",
  );

  /**
   * The Limiter's events on `task`, typed from it: callbacks get the task and the refused
   * arguments as the task function's parameters.
   *
   * @throws InvalidArgumentError when `task` has no `Limiter` among its plugins (its
   * callbacks would never run).
   * @example
   * ```ts
   * const task = scheduler.task((x: number) => x * x, { plugins: [new Limiter({ maxConcurrent: 2 })] });
   * Limiter.events(task).onConcurrentLimitReached((_task, x) => items.unshift(x)); // x: number
   * ```
   */
  static events<Args extends unknown[], R>(task: Task<Args, R>): LimiterEvents<Args, R> {
    if (!Array.isArray(task?.plugins) || !task.plugins.some((plugin) => plugin instanceof Limiter)) {
      throw new InvalidArgumentError("task", "a task with a Limiter among its plugins", task);
    }
    // The same events the Limiter emits, seen with the types of this one task: a Limiter
    // emits them only through the task it is attached to, with that task's arguments.
    return {
      onCallLimitReached: task.subscriber(
        Limiter.CALL_LIMIT_REACHED as unknown as Event<[task: Task<Args, R>, ...args: Args]>,
      ),
      onConcurrentLimitReached: task.subscriber(
        Limiter.CONCURRENT_LIMIT_REACHED as unknown as Event<[task: Task<Args, R>, ...args: Args]>,
      ),
      onDisabledDueToRunningTask: task.subscriber(
        Limiter.DISABLED_DUE_TO_RUNNING_TASK as unknown as Event<[otherTask: SomeTask, task: Task<Args, R>, ...args: Args]>,
      ),
    };
  }

  readonly name = "limiter";
  readonly maxCalls: number | undefined;
  readonly maxConcurrent: number | undefined;
  readonly notWhileRunning: readonly SomeTask[];
  #task: SomeTask | undefined;

  constructor(options: LimiterOptions = {}) {
    checkOptions("options", options as unknown, ["maxCalls", "maxConcurrent", "notWhileRunning"]);
    options ??= {};
    this.maxCalls = limit("options.maxCalls", options.maxCalls);
    this.maxConcurrent = limit("options.maxConcurrent", options.maxConcurrent);
    const others = options.notWhileRunning;
    this.notWhileRunning = others === undefined ? [] : Array.isArray(others) ? [...others] : [others as SomeTask];
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

  attachTask(task: SomeTask): void {
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
