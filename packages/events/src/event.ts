/**
 * `Event`: a typed name. The type parameter is the tuple of arguments its handlers receive,
 * which makes both `emit` and the callbacks type-checked.
 */

/**
 * A named event whose handlers receive `Args`. Two events are the same event when their
 * names are: emitters key everything by name.
 *
 * @example
 * ```ts
 * const clap = new Event<[volume: number]>("clap");
 * emitter.on(clap, (volume) => console.log(volume.toFixed(2)));
 * emitter.emit(clap, 0.7);
 * // emitter.emit(clap, "loud"); // does not compile
 * ```
 */
export class Event<Args extends unknown[] = unknown[]> {
  /**
   * Phantom field that carries `Args` so `Event<[number]>` and `Event<[string]>` differ.
   * Covariant, so that `Event<any>` and `Task<any, any>` accept every event and task.
   */
  declare readonly __args?: Args;

  constructor(readonly name: string) {
    if (typeof name !== "string" || name.length === 0) {
      throw new TypeError(`An event name must be a non-empty string, got ${String(name)}.`);
    }
  }

  /** Whether `other` names the same event. */
  is(other: Event<any> | string): boolean {
    return typeof other === "string" ? other === this.name : other.name === this.name;
  }

  toString(): string {
    return `@${this.name}`;
  }
}

/** The argument tuple of an `Event`. */
export type EventArgs<E> = E extends Event<infer A> ? A : never;

/** A map from event names to argument tuples, used to type emitters by name. */
export type EventMap = Record<string, unknown[]>;
