/**
 * Example: an Emitter of your own. `Clapper` declares a `clap` event and an `onClap`
 * subscriber; `maybeClap()` claps half of the time at a random volume. The generator is
 * seeded, so a given seed always claps the same way.
 */

import { Emitter, Event, type Subscriber } from "@amltk/scheduler";
import { seededRandom } from "./rng.js";
import { isMain, type Log } from "./setup.js";

/**
 * Emits `clap(volume)` now and then.
 *
 * @example
 * ```ts
 * const clapper = new Clapper(42);
 * clapper.onClap((volume) => console.log(volume));
 * clapper.maybeClap();
 * ```
 */
export class Clapper extends Emitter<{ clap: [volume: number] }> {
  static readonly CLAP = new Event<[volume: number]>("clap");

  /** `(volume)`, a number in [0, 1), each time the clapper claps. */
  readonly onClap: Subscriber<[volume: number]> = this.subscriber(Clapper.CLAP);

  readonly #random: () => number;

  constructor(seed = 0) {
    super({ name: "clapper" });
    this.#random = seededRandom(seed);
  }

  /** Claps with probability one half; returns whether it did. */
  maybeClap(): boolean {
    if (this.#random() < 0.5) return false;
    this.onClap.emit(this.#random());
    return true;
  }
}

export interface ClapperOutcome {
  /** The volume of every clap, in order. */
  volumes: number[];
  clapper: Clapper;
}

export async function main(log: Log = console.log, { seed = 42, tries = 10 } = {}): Promise<ClapperOutcome> {
  const clapper = new Clapper(seed);
  const volumes: number[] = [];

  clapper.onClap(function printLoudness(volume) {
    volumes.push(volume);
    log(`Clapped at volume ${volume.toFixed(3)}`);
  });

  for (let i = 0; i < tries; i++) clapper.maybeClap();
  log(`${clapper.onClap.count} claps in ${tries} tries`);
  return { volumes, clapper };
}

if (isMain(import.meta.url)) await main();
