/**
 * `Emitter`: synchronous, ordered dispatch of typed events to handlers, with per-event
 * counts. Everything in amltk that has events (scheduler, tasks, plugins) is built on it.
 */

import { EventNotKnownError, InvalidArgumentError } from "./errors.js";
import { Event, type EventArgs, type EventMap } from "./event.js";
import { Handler, type HandlerInfo } from "./handler.js";
import { resolveOptions, type CallbackOptions } from "./options.js";
import { makeSubscriber, type Subscriber } from "./subscriber.js";

/**
 * Removes the handler it was returned for. Returns whether it was still registered.
 *
 * @example
 * ```ts
 * const off = emitter.on(clap, cb);
 * off(); // true
 * off(); // false
 * ```
 */
export type Unsubscribe = () => boolean;

/**
 * The arguments of the event called `K`: typed for names in the emitter's event map; for
 * other names (events that plugins add at run time) anything goes, checked at run time.
 */
export type ArgsByName<M extends EventMap, K extends string> = K extends keyof M ? M[K] : any[];

/** Options for `new Emitter()`. */
export interface EmitterOptions {
  /** Shown in renderings and error messages. */
  name?: string;
}

interface EventRecord {
  readonly event: Event<any>;
  /** Times the event was emitted. Kept here, not in a Map, so `emit` does one lookup. */
  count: number;
  /** Replaced, never mutated, so an emission in progress iterates a stable list. */
  handlers: Handler[];
}

/**
 * Dispatches events to handlers synchronously, in registration order. A handler that throws
 * does not stop the others: every handler runs, then `handleCallbackErrors` receives the
 * errors. A bare `Emitter` rethrows (the error, or an `AggregateError` of several); the
 * scheduler and tasks override the hooks to route errors to the run's `onException` policy.
 *
 * `M` maps event names to argument tuples so `on("name", cb)` is typed too.
 *
 * @example
 * ```ts
 * class Clapper extends Emitter<{ clap: [volume: number] }> {
 *   static readonly CLAP = new Event<[volume: number]>("clap");
 *   readonly onClap = this.subscriber(Clapper.CLAP);
 * }
 * const clapper = new Clapper();
 * clapper.onClap((volume) => console.log(`clapped at ${volume}`));
 * clapper.onClap.emit(0.5);
 * clapper.eventCounts.get("clap"); // 1
 * ```
 */
export class Emitter<M extends EventMap = {}> {
  readonly #records = new Map<string, EventRecord>();
  readonly #signals = new Map<
    AbortSignal,
    { readonly handlers: Map<Handler, EventRecord>; readonly onAbort: () => void }
  >();
  readonly #name: string | undefined;

  constructor(options?: EmitterOptions) {
    this.#name = options?.name;
  }

  /**
   * How many times each event was emitted, by name (events never emitted are absent): a
   * snapshot taken when read. Counts are incremented before the handlers run.
   */
  get eventCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [name, record] of this.#records) if (record.count > 0) counts.set(name, record.count);
    return counts;
  }

  /**
   * How many times `event` was emitted; 0 for a known event never emitted.
   *
   * @throws EventNotKnownError when a string names no known event.
   * @example
   * ```ts
   * scheduler.count("future-result");
   * ```
   */
  count(event: Event<any> | string): number {
    return this.#recordOf(event).count;
  }

  /** The emitter's name, if it was given one. */
  get emitterName(): string | undefined {
    return this.#name;
  }

  /** The events this emitter knows, in the order it learnt them. */
  get events(): Event<any>[] {
    return Array.from(this.#records.values(), (r) => r.event);
  }

  /**
   * Makes events known, so they can be named by string (plugins call this for their events).
   *
   * @example
   * ```ts
   * task.addEvent(new Event<[Task, number]>("call-limit-reached"));
   * task.on("call-limit-reached", (task, x) => {});
   * ```
   */
  addEvent(...events: Event<any>[]): void {
    for (const event of events) this.#record(event);
  }

  /**
   * Registers `callback` for an event, given as an `Event` or by the name of a known event.
   *
   * @throws EventNotKnownError when a string names no known event.
   * @throws InvalidArgumentError for bad options (`repeat`, `every`, `maxCalls` below 1, ...).
   * @example
   * ```ts
   * const off = scheduler.on("future-result", (future, result) => {}, { maxCalls: 3 });
   * ```
   */
  on<E extends Event<any>>(
    event: E,
    callback: (...args: EventArgs<E>) => unknown,
    options?: CallbackOptions,
  ): Unsubscribe;
  on<K extends string>(
    event: K,
    callback: (...args: ArgsByName<M, K>) => unknown,
    options?: CallbackOptions,
  ): Unsubscribe;
  on(
    event: Event<any> | string,
    callback: (...args: any[]) => unknown,
    options?: CallbackOptions,
  ): Unsubscribe {
    const record = this.#recordOf(event);
    const resolved = resolveOptions(callback, options);
    const { signal } = resolved;
    if (signal?.aborted) return () => false;
    // Only unnamed callbacks pay for a stack; it is formatted if a rendering asks.
    const site = options?.name === undefined && callback.name === "" ? new Error() : undefined;
    const handler = new Handler(callback, resolved, site);
    record.handlers = [...record.handlers, handler];
    if (signal !== undefined) this.#watch(signal, handler, record);
    return () => this.#remove(record, handler, signal);
  }

  /**
   * Removes every handler registered under `name` (its `name` option or function name), or
   * every registration of `callback`. Returns how many were removed.
   *
   * @example
   * ```ts
   * scheduler.onStart(launch, { name: "launch" });
   * scheduler.off("launch"); // 1
   * ```
   */
  off(nameOrCallback: string | ((...args: never[]) => unknown)): number {
    let removed = 0;
    for (const record of this.#records.values()) {
      for (const handler of record.handlers) {
        const matches =
          typeof nameOrCallback === "string" ? handler.name === nameOrCallback : handler.callback === nameOrCallback;
        if (matches && this.#remove(record, handler, handler.signal)) removed++;
      }
    }
    return removed;
  }

  /**
   * Emits an event: counts it, then calls its handlers in registration order.
   *
   * @throws EventNotKnownError when a string names no known event.
   * @example
   * ```ts
   * emitter.emit(clap, 0.9);
   * ```
   */
  emit<E extends Event<any>>(event: E, ...args: EventArgs<E>): void;
  emit<K extends string>(event: K, ...args: ArgsByName<M, K>): void;
  emit(event: Event<any> | string, ...args: unknown[]): void {
    const record =
      this.#records.get(typeof event === "string" ? event : (event as Event<any> | undefined)?.name!) ??
      this.#recordOf(event);
    record.count++;
    const handlers = record.handlers;
    let errors: unknown[] | undefined;
    for (let i = 0; i < handlers.length; i++) {
      const handler = handlers[i]!;
      try {
        if (handler.plain) {
          handler.seen++;
          handler.calls++;
          const out = (handler.callback as (...a: unknown[]) => unknown)(...args);
          if (out instanceof Promise) this.trackAsyncCallback(out, record.event.name);
        } else {
          for (let n = handler.admit(); n > 0; n--) {
            const out = (handler.callback as (...a: unknown[]) => unknown)(...args);
            if (out instanceof Promise) this.trackAsyncCallback(out, record.event.name);
          }
        }
      } catch (error) {
        (errors ??= []).push(error);
      }
    }
    if (errors !== undefined) this.handleCallbackErrors(errors, record.event.name);
  }

  /**
   * A `Subscriber` for `event`: a function that registers callbacks, with `emit`, `event`
   * and `count`. Makes the event known.
   *
   * @example
   * ```ts
   * const onClap = emitter.subscriber(new Event<[number]>("clap"));
   * onClap((v) => console.log(v));
   * onClap.emit(1);
   * onClap.count; // 1
   * ```
   */
  subscriber<A extends unknown[]>(event: Event<A>): Subscriber<A> {
    this.#record(event);
    return makeSubscriber(this as Emitter<any>, event);
  }

  /**
   * The handlers of an event, in call order, for renderings and introspection.
   *
   * @example
   * ```ts
   * emitter.listeners("clap").map((h) => `${h.name} (${h.calls})`);
   * ```
   */
  listeners(event: Event<any> | string): readonly HandlerInfo[] {
    return this.#recordOf(event).handlers;
  }

  /**
   * Receives the errors thrown by the handlers of one emission, after all of them ran.
   * The default rethrows; subclasses route errors elsewhere.
   */
  protected handleCallbackErrors(errors: unknown[], eventName: string): void {
    if (errors.length === 1) throw errors[0];
    throw new AggregateError(errors, `${errors.length} handlers of "${eventName}" threw.`);
  }

  /**
   * Receives the promise returned by an async callback. The default leaves it alone, so a
   * rejection surfaces as an unhandled rejection rather than vanishing; the scheduler counts
   * it as pending work and routes its rejection to the run's policy.
   */
  protected trackAsyncCallback(_promise: Promise<unknown>, _eventName: string): void {}

  /** The record of an event given by name (must be known) or as an `Event` (learnt if new). */
  #recordOf(event: Event<any> | string): EventRecord {
    return typeof event === "string" ? this.#lookup(event) : this.#record(event);
  }

  #record(event: Event<any>): EventRecord {
    if (!(event instanceof Event)) {
      throw new InvalidArgumentError("event", "an Event or the name of a known event", event);
    }
    let record = this.#records.get(event.name);
    if (record === undefined) {
      record = { event, count: 0, handlers: [] };
      this.#records.set(event.name, record);
    }
    return record;
  }

  #remove(record: EventRecord, handler: Handler, signal: AbortSignal | undefined): boolean {
    if (!record.handlers.includes(handler)) return false;
    record.handlers = record.handlers.filter((h) => h !== handler);
    if (signal !== undefined) {
      const watched = this.#signals.get(signal);
      watched?.handlers.delete(handler);
      if (watched?.handlers.size === 0) {
        signal.removeEventListener("abort", watched.onAbort);
        this.#signals.delete(signal);
      }
    }
    return true;
  }

  /**
   * One abort listener per signal and emitter, not one per handler: many handlers sharing a
   * signal would otherwise trip Node's max-listeners warning on the user's signal.
   */
  #watch(signal: AbortSignal, handler: Handler, record: EventRecord): void {
    let watched = this.#signals.get(signal);
    if (watched === undefined) {
      const handlers = new Map<Handler, EventRecord>();
      const onAbort = () => {
        for (const [h, r] of handlers) this.#remove(r, h, signal);
      };
      watched = { handlers, onAbort };
      this.#signals.set(signal, watched);
      signal.addEventListener("abort", onAbort, { once: true });
    }
    watched.handlers.set(handler, record);
  }

  #lookup(name: string): EventRecord {
    const record = this.#records.get(name);
    if (record === undefined) {
      throw new EventNotKnownError(name, Array.from(this.#records.keys()), this.#name);
    }
    return record;
  }
}
