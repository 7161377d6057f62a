/**
 * The piscina task of the raw threads transport: the reference call and nothing else, as a
 * piscina user would write it (`export default`), so the raw figure is piscina's own cost.
 */

import { increment } from "../work.js";

/** Piscina calls the default export with the task. */
export default function run(x: number): number {
  return increment(x);
}
