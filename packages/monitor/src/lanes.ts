/**
 * Which lane of the per-worker timeline a call is drawn on. Executors that name their
 * workers (`future.worker`) get one lane per worker, in order of first use; the others get
 * "slots": each running call takes the lowest free slot, so the timeline still shows how many
 * calls ran at once even when nobody knows where.
 *
 * An executor starts its next call as soon as one finishes, but the scheduler hears of the
 * finish a few microtasks later: the next start arrives while every slot still looks busy.
 * With a known capacity, such a start waits for the next release and takes that slot, instead
 * of opening a lane for a worker that does not exist.
 */

/** The lane a call runs on: its index from the top of the timeline and its label. */
export interface Lane {
  readonly index: number;
  readonly label: string;
}

/** Hands out lanes to running calls and takes them back when they end. */
export class LaneAssigner {
  readonly #byLabel = new Map<string, number>();
  readonly #labels: string[] = [];
  /** Slots in use, by slot number; only for calls without a named worker. */
  readonly #slotsBusy: boolean[] = [];
  readonly #slotOf = new Map<number, number>();
  /** Calls that started while all `capacity` slots looked busy, in start order. */
  readonly #waiting: number[] = [];

  /** @param capacity the number of workers, when known: no more slots than that are opened. */
  constructor(readonly capacity?: number) {}

  /** The lane labels, by index. */
  get labels(): readonly string[] {
    return this.#labels;
  }

  /**
   * The lane of call `id`, starting now, on `worker` when the executor named it; undefined
   * when the call must wait for the next `release` (then `release` returns its lane).
   */
  take(id: number, worker: string | undefined): Lane | undefined {
    if (worker !== undefined) return this.#lane(worker);
    let slot = this.#slotsBusy.indexOf(false);
    if (slot === -1) slot = this.#slotsBusy.length;
    if (this.capacity !== undefined && slot >= this.capacity) {
      this.#waiting.push(id);
      return undefined;
    }
    return this.#occupy(id, slot);
  }

  /**
   * Call `id` ended: its slot (if it had one) goes to the first waiting call, whose id and
   * lane are returned, or becomes free. A waiting call that ended before it got a slot stops
   * waiting.
   */
  release(id: number): { id: number; lane: Lane } | undefined {
    const waitingAt = this.#waiting.indexOf(id);
    if (waitingAt !== -1) {
      this.#waiting.splice(waitingAt, 1);
      return undefined;
    }
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return undefined;
    this.#slotOf.delete(id);
    this.#slotsBusy[slot] = false;
    const next = this.#waiting.shift();
    return next === undefined ? undefined : { id: next, lane: this.#occupy(next, slot) };
  }

  /**
   * Gives every still-waiting call (or only `onlyId`) a slot of its own beyond the capacity
   * (the capacity was wrong, or the run is read mid-transition), so no started call is left
   * off the timeline.
   */
  flush(onlyId?: number): Array<{ id: number; lane: Lane }> {
    const placed: Array<{ id: number; lane: Lane }> = [];
    let ids: number[];
    if (onlyId === undefined) {
      ids = this.#waiting.splice(0);
    } else {
      const at = this.#waiting.indexOf(onlyId);
      ids = at === -1 ? [] : this.#waiting.splice(at, 1);
    }
    for (const id of ids) {
      let slot = this.#slotsBusy.indexOf(false);
      if (slot === -1) slot = this.#slotsBusy.length;
      placed.push({ id, lane: this.#occupy(id, slot) });
    }
    return placed;
  }

  #occupy(id: number, slot: number): Lane {
    this.#slotsBusy[slot] = true;
    this.#slotOf.set(id, slot);
    return this.#lane(`slot ${slot}`);
  }

  #lane(label: string): Lane {
    let index = this.#byLabel.get(label);
    if (index === undefined) {
      index = this.#labels.length;
      this.#labels.push(label);
      this.#byLabel.set(label, index);
    }
    return { index, label };
  }
}
