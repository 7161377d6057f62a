/**
 * `Requeue`: an iterator you can push items back into, for work lists where a refused
 * submission should be retried before anything new (the guide's `amltk.types.Requeue`).
 */

/**
 * Iterates over `source` lazily; `requeue(x)` puts `x` in front of everything not yet taken,
 * `append(x)` puts it after everything.
 *
 * @example
 * ```ts
 * const items = new Requeue([1, 2, 3]);
 * items.next().value; // 1
 * items.requeue(1);
 * [...items]; // [1, 2, 3]
 * ```
 */
export class Requeue<T> implements IterableIterator<T, undefined> {
  readonly #source: Iterator<T>;
  /** Requeued items, the most recently requeued last (it is taken first). */
  readonly #front: T[] = [];
  readonly #back: T[] = [];

  constructor(source: Iterable<T>) {
    this.#source = source[Symbol.iterator]();
  }

  next(): IteratorResult<T, undefined> {
    if (this.#front.length > 0) return { done: false, value: this.#front.pop()! };
    const fromSource = this.#source.next();
    if (fromSource.done !== true) return { done: false, value: fromSource.value };
    if (this.#back.length > 0) return { done: false, value: this.#back.shift()! };
    return { done: true, value: undefined };
  }

  /** Puts `item` back at the start: the next `next()` returns it. */
  requeue(item: T): void {
    this.#front.push(item);
  }

  /** Adds `item` at the end, after the source is exhausted. */
  append(item: T): void {
    this.#back.push(item);
  }

  [Symbol.iterator](): this {
    return this;
  }
}
