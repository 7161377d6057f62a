/**
 * `Handler`: one registered callback with its options and the counters that the options
 * are evaluated against.
 */

import type { ResolvedOptions } from "./options.js";
import { registrationSite } from "./registration-site.js";

/**
 * What renderings and introspection see of a handler.
 *
 * @example
 * ```ts
 * for (const h of scheduler.listeners("start")) console.log(h.name, h.calls);
 * ```
 */
export interface HandlerInfo {
  readonly name: string;
  /**
   * For a callback with neither a function name nor a `name` option: where it was registered
   * (`file:line`), for renderings. Undefined for named callbacks.
   */
  readonly location: string | undefined;
  /** Emissions this handler has seen since it was registered. */
  readonly seen: number;
  /** Times its callback was called (a `repeat` burst counts once). */
  readonly calls: number;
  readonly hidden: boolean;
  readonly maxCalls: number;
}

/** A registered callback. Internal to the emitter; exposed read-only as `HandlerInfo`. */
export class Handler implements HandlerInfo {
  seen = 0;
  calls = 0;
  /** True when no option changes the call: the emitter then takes its fast path. */
  readonly plain: boolean;
  readonly name: string;
  readonly hidden: boolean;
  readonly maxCalls: number;
  readonly repeat: number;
  readonly every: number;
  readonly when: (() => boolean) | undefined;
  readonly signal: AbortSignal | undefined;

  #site: Error | string | undefined;

  /** @param site an `Error` made at registration, for unnamed callbacks. */
  constructor(
    readonly callback: (...args: never[]) => unknown,
    options: ResolvedOptions,
    site?: Error,
  ) {
    this.#site = site;
    this.name = options.name;
    this.hidden = options.hidden;
    this.maxCalls = options.maxCalls;
    this.repeat = options.repeat;
    this.every = options.every;
    this.when = options.when;
    this.signal = options.signal;
    this.plain =
      this.repeat === 1 &&
      this.every === 1 &&
      this.when === undefined &&
      this.maxCalls === Number.POSITIVE_INFINITY;
  }

  get location(): string | undefined {
    if (this.#site instanceof Error) this.#site = registrationSite(this.#site) ?? "";
    return this.#site === "" ? undefined : this.#site;
  }

  /**
   * Applies the option rules for one emission, in the documented order, and says how many
   * times to call the callback (0 when skipped). Counting happens here, before the call.
   */
  admit(): number {
    this.seen++;
    if (this.every > 1 && this.seen % this.every !== 0) return 0;
    if (this.when !== undefined && !this.when()) return 0;
    if (this.calls >= this.maxCalls) return 0;
    this.calls++;
    return this.repeat;
  }
}
