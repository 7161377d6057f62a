/**
 * @amltk/events: typed events, emitters and subscribers with per-handler options and
 * per-event counts. Zero dependencies.
 *
 * @example
 * ```ts
 * import { Emitter, Event } from "@amltk/events";
 * const done = new Event<[id: number]>("done");
 * const emitter = new Emitter();
 * emitter.on(done, (id) => console.log(id), { maxCalls: 1 });
 * emitter.emit(done, 1);
 * ```
 */
export { AmltkError, EventNotKnownError, InvalidArgumentError, describeValue } from "./errors.js";
export { Event, type EventArgs, type EventMap } from "./event.js";
export { Emitter, type ArgsByName, type EmitterOptions, type Unsubscribe } from "./emitter.js";
export type { HandlerInfo } from "./handler.js";
export { resolveOptions, type CallbackOptions, type ResolvedOptions } from "./options.js";
export { makeSubscriber, type Subscriber } from "./subscriber.js";
export { checkOptions } from "./validate.js";
