/**
 * The error codec: turns an error into plain data that any transport can carry (structured
 * clone, msgpack, JSON) and back, keeping `name`, `message`, `stack` (with the worker's
 * frames), `cause`, `code`, `errors` and own fields. Structured clone alone would drop the
 * class and most fields.
 *
 * The class is rebuilt on the receiving side, in this order: an export of the called
 * function's module (the worker says which export; the receiver imports that module), a
 * class registered with `registerError` (built-in Error classes and amltk errors are
 * registered already), an amltk error class that is not registered (rebuilt as `AmltkError`),
 * else a plain `Error` that keeps the original `name`. Rebuilt errors are created without
 * calling their constructor, so constructors with any signature work.
 */

import { AmltkError, EventNotKnownError, InvalidArgumentError, describeValue } from "@amltk/events";
import {
  CancelledError,
  FunctionNotFoundError,
  FutureNotDoneError,
  GracefulTimeout,
  NoResponderError,
  NoTaskContextError,
  RequestFailedError,
  RequestTimeoutError,
} from "../errors.js";
import {
  FunctionRefRequiredError,
  ProtocolError,
  ProtocolVersionError,
  UnsendableValueError,
  WorkerCrashedError,
  WorkerLostError,
  WorkerMemoryLimitError,
} from "./errors.js";

/** An error class the codec can rebuild. */
export type ErrorClass = abstract new (...args: any[]) => Error;

/** Where the sending side found the error's class. */
export type ErrorOrigin = "builtin" | "amltk" | "module" | "other";

/** An error as plain data. */
export interface EncodedError {
  readonly kind: "amltk:error";
  /** The error's `name` (which may differ from its class name). */
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** The name of the error's constructor. */
  readonly className: string;
  /**
   * The class names of the error's prototype chain, most derived first (`["FooError",
   * "BarError", "Error"]`), so a policy can match a class that cannot be rebuilt here by name
   * (DESIGN §4.4). Absent from encoders older than this field.
   */
  readonly chain?: readonly string[];
  readonly origin: ErrorOrigin;
  /** For origin `"module"`: the module URL and the export name of the class. */
  readonly module?: string;
  readonly exportName?: string;
  /** Present when the error has a `cause` (encoded like any field). */
  readonly cause?: unknown;
  readonly hasCause?: true;
  /** `AggregateError#errors`, encoded. */
  readonly errors?: readonly unknown[];
  /** Own enumerable fields (`code` among them), encoded. */
  readonly props: Readonly<Record<string, unknown>>;
}

/** Options for `encodeError`. */
export interface EncodeOptions {
  /** The called function's module URL and its exports, to recognise exported error classes. */
  readonly module?: string;
  readonly exports?: Readonly<Record<string, unknown>>;
  /** Whether the transport can carry a field value; others become a description string. */
  readonly canSend?: (value: unknown) => boolean;
}

const BUILTINS: ReadonlyArray<ErrorClass> = [
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError,
];

const registry = new Map<string, ErrorClass>();
const builtinClasses = new Set<unknown>(BUILTINS);
for (const cls of BUILTINS) registry.set(cls.name, cls);
for (const cls of [
  AmltkError,
  EventNotKnownError,
  InvalidArgumentError,
  CancelledError,
  FunctionNotFoundError,
  FutureNotDoneError,
  NoTaskContextError,
  WorkerCrashedError,
  WorkerMemoryLimitError,
  WorkerLostError,
  UnsendableValueError,
  FunctionRefRequiredError,
  ProtocolVersionError,
  ProtocolError,
  NoResponderError,
  RequestTimeoutError,
  RequestFailedError,
  GracefulTimeout,
] as const) {
  registry.set(cls.name, cls);
}

/**
 * Registers an error class so that errors of that class thrown in a worker are rebuilt as
 * instances of it on this side (`instanceof` works). Register it on the side that receives
 * the error, under the name of its constructor (or `name` if given). Classes exported by the
 * called function's own module need no registration.
 *
 * @example
 * ```ts
 * import { registerError } from "@amltk/task/worker";
 * import { BudgetExceeded } from "./errors.js";
 * registerError(BudgetExceeded);
 * ```
 */
export function registerError(cls: ErrorClass, name: string = cls.name): void {
  if (typeof cls !== "function" || !(cls.prototype instanceof Error || cls === Error)) {
    throw new InvalidArgumentError("cls", "an Error class", cls);
  }
  registry.set(name, cls);
}

/** The class registered under `name`, if any. */
export function registeredError(name: string): ErrorClass | undefined {
  return registry.get(name);
}

const MAX_DEPTH = 16;

/**
 * Where a decoded error keeps the class names of its original prototype chain: a
 * non-enumerable own property under this registered symbol (so it is not an own field, and
 * `Symbol.for` finds it from any copy of this package).
 */
export const ERROR_CHAIN: unique symbol = Symbol.for("amltk.errorChain") as never;

/** At most this many classes are recorded: a chain is short unless something is hostile. */
const MAX_CHAIN = 32;

/** The class names of `value`'s live prototype chain, most derived first, up to `Object`. */
function liveChain(value: object): string[] {
  const names: string[] = [];
  let proto: unknown = Object.getPrototypeOf(value);
  while (proto !== null && proto !== Object.prototype && names.length < MAX_CHAIN) {
    const ctor = Object.prototype.hasOwnProperty.call(proto, "constructor")
      ? (proto as { constructor?: unknown }).constructor
      : undefined;
    if (typeof ctor === "function" && typeof ctor.name === "string" && ctor.name !== "") names.push(ctor.name);
    proto = Object.getPrototypeOf(proto);
  }
  return names;
}

/**
 * The class names of `error`'s prototype chain, most derived first: the chain recorded when
 * it was encoded in a worker (its class may not exist here), else its live one. The
 * `onException` policy matches a Map key whose `name` is among them, so a policy means the
 * same on every executor. Never throws; `[]` for a value that is not an object.
 *
 * @example
 * ```ts
 * class BarError extends Error {}
 * class FooError extends BarError {}
 * errorClassNames(new FooError()); // ["FooError", "BarError", "Error"]
 * errorClassNames(decodeError(encodeError(new FooError()))); // the same, though rebuilt as Error
 * ```
 */
export function errorClassNames(error: unknown): readonly string[] {
  if ((typeof error !== "object" && typeof error !== "function") || error === null) return [];
  try {
    const recorded = Object.getOwnPropertyDescriptor(error, ERROR_CHAIN)?.value;
    if (Array.isArray(recorded)) return recorded as string[];
    return liveChain(error);
  } catch {
    // A proxy that throws on reflection: it has no names we can trust.
    return [];
  }
}
const SKIPPED_FIELDS = new Set(["stack", "message", "cause", "errors"]);

function isError(value: unknown): value is Error {
  return value instanceof Error || Object.prototype.toString.call(value) === "[object Error]";
}

/**
 * `error` as plain data. Never throws: a value that is not an Error is wrapped as one
 * (name `"NonErrorThrown"`, the value kept in the field `value` when it can be sent).
 *
 * @example
 * ```ts
 * const encoded = encodeError(new RangeError("too big"));
 * decodeError(encoded) instanceof RangeError; // true
 * ```
 */
export function encodeError(error: unknown, options: EncodeOptions = {}): EncodedError {
  try {
    return encodeAt(error, options, 0, new Set());
  } catch (failure) {
    // A proxy or a hostile getter: keep what can be read rather than lose the error.
    return {
      kind: "amltk:error",
      name: safeString(read(error, "name"), "Error"),
      message: `${safeString(read(error, "message"), "")} (the error could not be fully encoded: ${safeString(failure, "unknown failure")})`,
      className: "Error",
      origin: "other",
      props: {},
    };
  }
}

/** Reads a property that may be a throwing getter; a failure becomes a descriptive string. */
function read(value: unknown, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch (failure) {
    return `[unreadable: ${safeString(failure, "getter threw")}]`;
  }
}

function encodeAt(error: unknown, options: EncodeOptions, depth: number, seen: Set<unknown>): EncodedError {
  if (!isError(error)) {
    return {
      kind: "amltk:error",
      name: "NonErrorThrown",
      message: `A non-error value was thrown: ${describeValue(error)}`,
      className: "Error",
      origin: "builtin",
      props: { value: encodeValue(error, options, depth + 1, seen) },
    };
  }
  // On the path only while it is encoded: an error that merely appears twice (as a field and
  // as the cause, say) is not a cycle.
  seen.add(error);
  try {
    return encodeErrorFields(error, options, depth, seen);
  } finally {
    seen.delete(error);
  }
}

function encodeErrorFields(error: Error, options: EncodeOptions, depth: number, seen: Set<unknown>): EncodedError {
  const ctor = (error as { constructor?: unknown }).constructor;
  const className = typeof ctor === "function" && typeof ctor.name === "string" ? ctor.name : "Error";
  let origin: ErrorOrigin = "other";
  let exportName: string | undefined;
  if (builtinClasses.has(ctor)) origin = "builtin";
  else {
    if (options.exports !== undefined) {
      for (const key of Object.keys(options.exports)) {
        if (options.exports[key] === ctor) {
          exportName = key;
          origin = "module";
          break;
        }
      }
    }
    if (origin === "other" && error instanceof AmltkError) origin = "amltk";
  }
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(error)) {
    if (SKIPPED_FIELDS.has(key)) continue;
    props[key] = encodeValue(read(error, key), options, depth + 1, seen);
  }
  const out: {
    -readonly [K in keyof EncodedError]: EncodedError[K];
  } = {
    kind: "amltk:error",
    name: safeString(read(error, "name"), "Error"),
    message: safeString(read(error, "message"), ""),
    className,
    origin,
    props,
  };
  const chain = errorClassNames(error);
  if (chain.length > 0) out.chain = [...chain];
  const stack = read(error, "stack");
  if (typeof stack === "string") out.stack = stack;
  if (exportName !== undefined && options.module !== undefined) {
    out.module = options.module;
    out.exportName = exportName;
  }
  if ("cause" in error) {
    out.hasCause = true;
    out.cause = encodeValue(read(error, "cause"), options, depth + 1, seen);
  }
  const errors = read(error, "errors");
  if (Array.isArray(errors)) out.errors = errors.map((e) => encodeValue(e, options, depth + 1, seen));
  return out;
}

function safeString(value: unknown, fallback: string): string {
  try {
    return typeof value === "string" ? value : value === undefined ? fallback : String(value);
  } catch {
    return fallback;
  }
}

function encodeValue(value: unknown, options: EncodeOptions, depth: number, seen: Set<unknown>): unknown {
  if (typeof value !== "object" || value === null) {
    if (typeof value === "function" || typeof value === "symbol") return `[unsendable ${describeValue(value)}]`;
    return value;
  }
  if (seen.has(value)) return "[circular]";
  if (depth > MAX_DEPTH) return `[too deep: ${describeValue(value)}]`;
  if (isError(value)) return encodeAt(value, options, depth, seen);
  const canSend = options.canSend;
  if (Array.isArray(value)) {
    seen.add(value);
    const out = value.map((v) => encodeValue(v, options, depth + 1, seen));
    seen.delete(value);
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    seen.add(value);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      out[key] = encodeValue(read(value, key), options, depth + 1, seen);
    }
    seen.delete(value);
    return out;
  }
  if (canSend !== undefined ? canSend(value) : cloneable(value)) return value;
  return `[unsendable ${describeValue(value)}]`;
}

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/** Whether `value` is an `EncodedError`. */
export function isEncodedError(value: unknown): value is EncodedError {
  return typeof value === "object" && value !== null && (value as EncodedError).kind === "amltk:error";
}

/** Module exports the decoder may use, by module URL. */
export type ModuleExports = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

/**
 * Rebuilds an error from `encoded`, synchronously. Classes exported by a module are found
 * only when `modules` holds that module's exports; `decodeErrorAsync` imports them.
 *
 * @example
 * ```ts
 * const error = decodeError(message.error);
 * error instanceof TypeError; // true when a TypeError was thrown in the worker
 * ```
 */
export function decodeError(encoded: EncodedError, modules?: ModuleExports): Error {
  return decodeAt(encoded, modules);
}

/**
 * Rebuilds an error from `encoded`, importing the called function's module on this side
 * when the worker said the error's class is one of its exports (so `instanceof` against
 * that export works).
 *
 * @example
 * ```ts
 * reject(await decodeErrorAsync(message.error));
 * ```
 */
export async function decodeErrorAsync(encoded: EncodedError): Promise<Error> {
  const urls = new Set<string>();
  collectModules(encoded, urls, 0);
  if (urls.size === 0) return decodeAt(encoded, undefined);
  const modules = new Map<string, Record<string, unknown>>();
  await Promise.all(
    [...urls].map(async (url) => {
      try {
        modules.set(url, (await import(url)) as Record<string, unknown>);
      } catch {
        // The module cannot be imported here; the registry and fallbacks still apply.
      }
    }),
  );
  return decodeAt(encoded, modules);
}

function collectModules(value: unknown, urls: Set<string>, depth: number): void {
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const v of value) collectModules(v, urls, depth + 1);
    return;
  }
  if (isEncodedError(value)) {
    if (value.origin === "module" && value.module !== undefined) urls.add(value.module);
    if (value.hasCause) collectModules(value.cause, urls, depth + 1);
    if (value.errors !== undefined) collectModules(value.errors, urls, depth + 1);
    collectModules(value.props, urls, depth + 1);
    return;
  }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectModules(v, urls, depth + 1);
  }
}

function classFor(encoded: EncodedError, modules: ModuleExports | undefined): ErrorClass {
  if (encoded.origin === "module" && encoded.module !== undefined && encoded.exportName !== undefined) {
    const exported = modules?.get(encoded.module)?.[encoded.exportName];
    if (typeof exported === "function" && (exported.prototype instanceof Error || exported === Error)) {
      return exported as ErrorClass;
    }
  }
  const registered = registry.get(encoded.className);
  if (registered !== undefined) return registered;
  if (encoded.origin === "amltk") return AmltkError;
  return Error;
}

function define(target: object, key: string, value: unknown, enumerable: boolean): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable });
}

function decodeAt(encoded: EncodedError, modules: ModuleExports | undefined): Error {
  const cls = classFor(encoded, modules);
  const error = Object.create(cls.prototype) as Error;
  define(error, "message", encoded.message, false);
  if (encoded.stack !== undefined) define(error, "stack", encoded.stack, false);
  if (encoded.hasCause) define(error, "cause", decodeValue(encoded.cause, modules), false);
  if (encoded.errors !== undefined) define(error, "errors", encoded.errors.map((e) => decodeValue(e, modules)), false);
  for (const key of Object.keys(encoded.props)) define(error, key, decodeValue(encoded.props[key], modules), true);
  if (!Object.prototype.hasOwnProperty.call(encoded.props, "name") && error.name !== encoded.name) {
    define(error, "name", encoded.name, false);
  }
  const { chain } = encoded;
  if (Array.isArray(chain) && chain.every((name) => typeof name === "string")) {
    Object.defineProperty(error, ERROR_CHAIN, { value: Object.freeze(chain.slice(0, MAX_CHAIN)), configurable: true });
  }
  return error;
}

function decodeValue(value: unknown, modules: ModuleExports | undefined): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (isEncodedError(value)) return decodeAt(value, modules);
  if (Array.isArray(value)) return value.map((v) => decodeValue(v, modules));
  if (Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = decodeValue((value as Record<string, unknown>)[key], modules);
    return out;
  }
  return value;
}
