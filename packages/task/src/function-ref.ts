/**
 * `FunctionRef` and `fromModule`: naming a function by module URL and export name, so that
 * another thread, process or machine can import and run it. JavaScript cannot ship a closure
 * to another process; a reference is the honest way.
 */

import { pathToFileURL } from "node:url";
import { InvalidArgumentError } from "@amltk/events";
import { FunctionNotFoundError } from "./errors.js";

/** Any function. */
export type AnyFunction = (...args: any[]) => any;

/**
 * A reference to the function exported as `exportName` by the module at `module` (a URL).
 * Plain data: it survives structured clone, JSON and msgpack unchanged.
 *
 * @example
 * ```ts
 * const ref: FunctionRef<(n: number) => number> = work.collatz;
 * ref.module; // "file:///.../work.js"
 * ref.exportName; // "collatz"
 * ```
 */
export interface FunctionRef<F extends AnyFunction = AnyFunction> {
  readonly kind: "amltk:function-ref";
  readonly module: string;
  readonly exportName: string;
  /** Phantom field carrying the function type; never present at run time. */
  readonly __function?: F;
}

/** What executors run: a function (in-process only) or a reference to one. */
export type Callable<F extends AnyFunction = AnyFunction> = F | FunctionRef<F>;

/** The function type behind a `Callable`. */
export type FunctionOf<C> = C extends FunctionRef<infer F> ? F : C extends AnyFunction ? C : never;

/** The function exports of a module type, as `FunctionRef`s. */
export type ModuleRefs<M> = {
  readonly [K in keyof M as M[K] extends AnyFunction ? K : never]: FunctionRef<
    M[K] extends AnyFunction ? M[K] : never
  >;
};

/**
 * Whether `value` is a `FunctionRef`.
 *
 * @example
 * ```ts
 * isFunctionRef(work.collatz); // true
 * isFunctionRef(() => 1); // false
 * ```
 */
export function isFunctionRef(value: unknown): value is FunctionRef {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as FunctionRef).kind === "amltk:function-ref" &&
    typeof (value as FunctionRef).module === "string" &&
    typeof (value as FunctionRef).exportName === "string"
  );
}

/**
 * Creates a `FunctionRef` by hand.
 *
 * @example
 * ```ts
 * const ref = functionRef<(n: number) => number>(new URL("./work.js", import.meta.url), "collatz");
 * ```
 */
export function functionRef<F extends AnyFunction = AnyFunction>(
  module: URL | string,
  exportName: string,
): FunctionRef<F> {
  if (typeof exportName !== "string" || exportName.length === 0) {
    throw new InvalidArgumentError("exportName", "a non-empty string", exportName);
  }
  return Object.freeze({ kind: "amltk:function-ref", module: moduleHref(module), exportName });
}

/**
 * Returns an object whose properties are `FunctionRef`s to the function exports of the
 * module at `url`, typed from `M`. The module is not imported here, so a misspelt export
 * fails the call (with `FunctionNotFoundError`), not this line. `then` and symbol keys give
 * `undefined`, so the object is never mistaken for a promise.
 *
 * @example
 * ```ts
 * import { fromModule } from "@amltk/scheduler";
 * const work = fromModule<typeof import("./work.js")>(new URL("./work.js", import.meta.url));
 * const task = scheduler.task(work.collatz); // Task<[n: number], number>
 * ```
 */
export function fromModule<M>(url: URL | string): ModuleRefs<M> {
  const href = moduleHref(url);
  const refs = new Map<string, FunctionRef>();
  return new Proxy(Object.create(null) as ModuleRefs<M>, {
    get(_target, key) {
      if (typeof key === "symbol" || key === "then") return undefined;
      let ref = refs.get(key);
      if (ref === undefined) {
        ref = functionRef(href, key);
        refs.set(key, ref);
      }
      return ref;
    },
    has: (_target, key) => typeof key === "string" && key !== "then",
    set: () => false,
  });
}

function moduleHref(url: URL | string): string {
  if (url instanceof URL) return url.href;
  if (typeof url === "string") {
    if (url.startsWith("/")) return pathToFileURL(url).href;
    if (URL.canParse(url) && !/^[a-zA-Z]:[\\/]/.test(url)) return new URL(url).href;
    if (/^[a-zA-Z]:[\\/]/.test(url)) return pathToFileURL(url).href;
  }
  throw new InvalidArgumentError(
    "module",
    'a URL or an absolute path (write new URL("./work.js", import.meta.url) for a module beside yours)',
    url,
  );
}

const functionCache = new Map<string, AnyFunction>();
const moduleCache = new Map<string, Promise<Record<string, unknown>>>();

/**
 * The function behind a `FunctionRef`, importing its module once per process (or thread).
 * Executors call this; a module that throws at import fails every call with that error.
 *
 * @example
 * ```ts
 * const collatz = await loadFunction(work.collatz);
 * ```
 */
export async function loadFunction<F extends AnyFunction>(ref: FunctionRef<F>): Promise<F> {
  const key = `${ref.module}#${ref.exportName}`;
  const cached = functionCache.get(key);
  if (cached !== undefined) return cached as F;
  let loading = moduleCache.get(ref.module);
  if (loading === undefined) {
    loading = import(ref.module) as Promise<Record<string, unknown>>;
    moduleCache.set(ref.module, loading);
  }
  const mod = await loading;
  const fn = mod[ref.exportName];
  if (typeof fn !== "function") {
    const available = Object.keys(mod).filter((k) => typeof mod[k] === "function");
    throw new FunctionNotFoundError(ref.module, ref.exportName, available);
  }
  functionCache.set(key, fn as AnyFunction);
  return fn as F;
}

/**
 * The function behind a `FunctionRef` if its module is already loaded, else `undefined`.
 * Lets executors call a cached function synchronously on the hot path.
 */
export function loadedFunction<F extends AnyFunction>(ref: FunctionRef<F>): F | undefined {
  return functionCache.get(`${ref.module}#${ref.exportName}`) as F | undefined;
}

/**
 * A short human label for a callable, for renderings: the function's name or the export name.
 *
 * @example
 * ```ts
 * callableName(work.collatz); // "collatz"
 * ```
 */
export function callableName(fn: Callable): string {
  if (isFunctionRef(fn)) return fn.exportName;
  return fn.name || "anonymous";
}
