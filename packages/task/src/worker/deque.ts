/**
 * `Deque`: a queue of waiting calls (the pool's on the main side, a worker's own). An array with a moving head, compacted as it
 * goes, so its memory follows what waits now, not how many calls ever waited (a plain
 * "head index into a growing array" keeps every slot until the queue fully drains).
 */

/**
 * A first-in first-out queue that can also put items back at the front.
 *
 * @example
 * ```ts
 * const queue = new Deque<number>();
 * queue.push(1); queue.push(2); queue.unshift(0);
 * queue.shift(); // 0
 * ```
 */
export class Deque<T> {
  #items: Array<T | undefined> = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Slots the backing array holds, waiting or not yet reclaimed; for tests and diagnostics. */
  get allocated(): number {
    return this.#items.length;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** Puts `item` back at the front (a call that must run next). */
  unshift(item: T): void {
    if (this.#head > 0) this.#items[--this.#head] = item;
    else this.#items.unshift(item);
  }

  peek(): T | undefined {
    return this.#items[this.#head];
  }

  shift(): T | undefined {
    if (this.#head === this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Removes and returns the first item that `match` accepts, if any. */
  remove(match: (item: T) => boolean): T | undefined {
    for (let i = this.#head; i < this.#items.length; i++) {
      const item = this.#items[i] as T;
      if (!match(item)) continue;
      if (i === this.#head) return this.shift();
      this.#items.splice(i, 1);
      return item;
    }
    return undefined;
  }

  /** Removes and returns every item, in order. */
  drain(): T[] {
    const items = this.#items.slice(this.#head) as T[];
    this.#items = [];
    this.#head = 0;
    return items;
  }
}
