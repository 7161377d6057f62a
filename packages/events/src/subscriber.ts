/**
 * `Subscriber`: a callable handle on one event of one emitter, so that `scheduler.onStart(cb)`
 * reads like the event it subscribes to.
 */

import type { Emitter, Unsubscribe } from "./emitter.js";
import type { Event } from "./event.js";
import type { CallbackOptions } from "./options.js";

/**
 * Registers callbacks for one event when called; also emits it and reports its count.
 *
 * @example
 * ```ts
 * scheduler.onStart(() => task.submit(12));
 * scheduler.onStart.count; // times "start" was emitted
 * ```
 */
export interface Subscriber<Args extends unknown[]> {
  (callback: (...args: Args) => unknown, options?: CallbackOptions): Unsubscribe;
  /** Emits the event on the emitter this subscriber belongs to. */
  emit(...args: Args): void;
  /** The event it subscribes to. */
  readonly event: Event<Args>;
  /** How many times the event has been emitted. */
  readonly count: number;
}

/** Builds a `Subscriber`; use `emitter.subscriber(event)`. */
export function makeSubscriber<Args extends unknown[]>(
  emitter: Emitter<any>,
  event: Event<Args>,
): Subscriber<Args> {
  const subscribe = (callback: (...args: Args) => unknown, options?: CallbackOptions) =>
    emitter.on(event, callback, options);
  return Object.defineProperties(subscribe, {
    emit: { value: (...args: Args) => emitter.emit(event, ...args) },
    event: { value: event },
    count: { get: () => emitter.count(event) },
  }) as Subscriber<Args>;
}
