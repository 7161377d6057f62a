/**
 * The reference call of DESIGN section 7, in a module of its own so that out-of-process
 * executors can run it by reference (`fromModule(new URL("./work.js", import.meta.url))`)
 * exactly as the in-process executor runs the plain function.
 */

/**
 * AMLTK's benchmark call: trivial, so the figure is the cost of the machinery around it.
 *
 * @example
 * ```ts
 * increment(41); // 42
 * ```
 */
export function increment(x: number): number {
  return x + 1;
}
