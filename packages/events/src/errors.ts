/**
 * The error classes every amltk package builds on. They live in the lowest package so that
 * every other package (and every transport that rebuilds errors) can name them.
 */

/**
 * Base class of every error thrown by amltk packages. `name` and `code` are stable: match on
 * them (or use `instanceof`), never on the message.
 *
 * @example
 * ```ts
 * try {
 *   emitter.on("no-such-event", () => {});
 * } catch (error) {
 *   if (error instanceof AmltkError) console.error(error.code, error.message);
 * }
 * ```
 */
export class AmltkError extends Error {
  /** A stable, machine-readable identifier such as `ERR_AMLTK_EVENT_NOT_KNOWN`. */
  readonly code: string;

  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options?.code ?? "ERR_AMLTK";
  }
}

/**
 * Thrown when an event is named by a string that the emitter does not know, at registration
 * (`on`) or at `emit`, so that a misspelt event name fails loudly instead of never firing.
 *
 * @example
 * ```ts
 * const emitter = new Emitter();
 * emitter.on("strat", () => {}); // throws EventNotKnownError: ... known events: (none)
 * ```
 */
export class EventNotKnownError extends AmltkError {
  override readonly name = "EventNotKnownError";
  /** The name that was asked for. */
  readonly eventName: string;
  /** The names the emitter knew at the time. */
  readonly knownEvents: readonly string[];

  constructor(eventName: string, knownEvents: readonly string[], emitterName?: string) {
    const where = emitterName === undefined ? "this emitter" : `emitter "${emitterName}"`;
    const known = knownEvents.length === 0 ? "(none)" : knownEvents.join(", ");
    super(`Event "${eventName}" is not known to ${where}; known events: ${known}.`, {
      code: "ERR_AMLTK_EVENT_NOT_KNOWN",
    });
    this.eventName = eventName;
    this.knownEvents = knownEvents;
  }
}

/**
 * Thrown synchronously by a public entry point when an argument is out of range or of the
 * wrong kind. The message names the argument, what was given and what is allowed.
 *
 * @example
 * ```ts
 * emitter.on(event, cb, { repeat: 0 });
 * // InvalidArgumentError: options.repeat must be an integer >= 1, got 0.
 * ```
 */
export class InvalidArgumentError extends AmltkError {
  override readonly name = "InvalidArgumentError";
  /** The argument's path, such as `options.repeat`. */
  readonly argument: string;

  constructor(argument: string, expected: string, received: unknown) {
    super(`${argument} must be ${expected}, got ${describeValue(received)}.`, {
      code: "ERR_AMLTK_INVALID_ARGUMENT",
    });
    this.argument = argument;
  }
}

/**
 * A short, safe description of any value for error messages: never throws, never prints a
 * whole object graph.
 *
 * @example
 * ```ts
 * describeValue(-1); // "-1"
 * describeValue({ a: 1 }); // "an object"
 * ```
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
    case "number":
    case "boolean":
    case "bigint":
    case "undefined":
      return String(value);
    case "symbol":
      return value.toString();
    case "function":
      return `function ${value.name || "(anonymous)"}`;
    default:
      if (value === null) return "null";
      if (Array.isArray(value)) return `an array of length ${value.length}`;
      return `an object (${Object.getPrototypeOf(value)?.constructor?.name ?? "null prototype"})`;
  }
}
