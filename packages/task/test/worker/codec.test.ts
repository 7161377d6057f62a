/**
 * The error codec and the unsendable-value search of `@amltk/task/worker`:
 * the plumbing every out-of-process executor shares, tested without a transport.
 */
import { describe, expect, it } from "vitest";
import { CancelledError, FunctionNotFoundError } from "../../src/index.js";
import {
  decodeError,
  decodeErrorAsync,
  encodeError,
  errorClassNames,
  findUnsendable,
  quickUnsendable,
  registerError,
} from "./helpers.js";

const MODULE = new URL("./errors-module.mjs", import.meta.url).href;
/** A round trip through structured clone, as a worker boundary does. */
const hop = <T>(value: T): T => structuredClone(value);

describe("error codec", () => {
  it("keeps built-in classes, message, stack, cause, code and own fields", () => {
    const error = Object.assign(new TypeError("bad input", { cause: new RangeError("root") }), { code: "E_X", extra: [1, 2] });
    const back = decodeError(hop(encodeError(error))) as TypeError & { code: string; extra: number[]; cause: Error };
    expect(back).toBeInstanceOf(TypeError);
    expect(back.message).toBe("bad input");
    expect(back.stack).toBe(error.stack);
    expect(back.code).toBe("E_X");
    expect(back.extra).toEqual([1, 2]);
    expect(back.cause).toBeInstanceOf(RangeError);
    expect(back.cause.message).toBe("root");
    expect(Object.keys(back)).toEqual(["code", "extra"]);
  });

  it("rebuilds amltk errors and AggregateError, and keeps unknown classes' names", () => {
    const amltk = decodeError(hop(encodeError(new FunctionNotFoundError("m.js", "f", ["g"])))) as FunctionNotFoundError;
    expect(amltk).toBeInstanceOf(FunctionNotFoundError);
    expect(amltk.code).toBe("ERR_AMLTK_FUNCTION_NOT_FOUND");
    expect(amltk.exportName).toBe("f");
    const aggregate = decodeError(hop(encodeError(new AggregateError([new CancelledError()], "many")))) as AggregateError;
    expect(aggregate).toBeInstanceOf(AggregateError);
    expect(aggregate.errors[0]).toBeInstanceOf(CancelledError);
    class Local extends Error {
      override name = "LocalError";
    }
    const local = decodeError(hop(encodeError(new Local("x"))));
    expect(local).toBeInstanceOf(Error);
    expect(local.name).toBe("LocalError");
  });

  it("rebuilds registered classes and exports of the function's module", async () => {
    class Registered extends Error {}
    registerError(Registered);
    expect(decodeError(hop(encodeError(new Registered("r"))))).toBeInstanceOf(Registered);
    const mod = (await import(MODULE)) as { ExportedError: new (m: string, d: unknown) => Error };
    const encoded = hop(encodeError(new mod.ExportedError("exp", { a: 1 }), { module: MODULE, exports: mod }));
    expect(encoded.origin).toBe("module");
    const back = (await decodeErrorAsync(encoded)) as Error & { detail: unknown };
    expect(back).toBeInstanceOf(mod.ExportedError);
    expect(back.detail).toEqual({ a: 1 });
  });

  it("records the prototype chain's class names, which the decoded error keeps out of its own fields", () => {
    class BarError extends Error {}
    class FooError extends BarError {}
    const encoded = encodeError(new FooError("foo"));
    expect(encoded.chain).toEqual(["FooError", "BarError", "Error"]);
    // Through a JSON transport too, and again after a second hop.
    const decoded = decodeError(JSON.parse(JSON.stringify(encoded)));
    expect(decoded).not.toBeInstanceOf(BarError);
    expect(errorClassNames(decoded)).toEqual(["FooError", "BarError", "Error"]);
    expect(Object.keys(decoded)).toEqual([]);
    expect(errorClassNames(decodeError(encodeError(decoded)))).toEqual(["FooError", "BarError", "Error"]);
    expect(errorClassNames(new RangeError("live"))).toEqual(["RangeError", "Error"]);
    expect(errorClassNames("not an error")).toEqual([]);
  });

  it("encodes thrown non-errors and unsendable fields without throwing", () => {
    const thrown = decodeError(hop(encodeError("just a string")));
    expect(thrown.name).toBe("NonErrorThrown");
    const withFn = Object.assign(new Error("x"), { callback: () => 1 });
    expect((decodeError(hop(encodeError(withFn))) as unknown as { callback: string }).callback).toMatch(/unsendable function/);
    const circular = new Error("loop") as Error & { self?: unknown };
    circular.self = circular;
    expect(() => hop(encodeError(circular))).not.toThrow();
  });
});

describe("unsendable values", () => {
  it("names the path of the value structured clone refuses", () => {
    expect(findUnsendable([1, { a: [2, { cb: () => 1 }] }], "args")?.path).toBe("args[1].a[1].cb");
    expect(findUnsendable({ "odd key": Symbol("s") }, "result")?.path).toBe('result["odd key"]');
    expect(findUnsendable(new Map([["k", () => 1]]), "args")?.path).toBe('args.get("k")');
    expect(quickUnsendable(new Set([1, Symbol("s")]), "result")?.path).toBe("result.values()[1]");
    expect(findUnsendable({ fine: [1, "x", new Date(0)] }, "args")).toBeUndefined();
  });

  it("the quick check agrees and costs nothing for primitives", () => {
    expect(quickUnsendable(42, "result")).toBeUndefined();
    expect(quickUnsendable({ a: { b: [() => 1] } }, "result")?.path).toBe("result.a.b[0]");
    const cyclic: Record<string, unknown> = { n: 1 };
    cyclic.self = cyclic;
    expect(quickUnsendable(cyclic, "result")).toBeUndefined();
  });
});

describe("codec robustness", () => {
  it("keeps an error that appears twice (field and cause) instead of calling it circular", () => {
    const root = new RangeError("root");
    const outer = Object.assign(new Error("outer", { cause: root }), { first: root });
    const decoded = decodeError(encodeError(outer)) as Error & { first: unknown };
    expect(decoded.cause).toBeInstanceOf(RangeError);
    expect(decoded.first).toBeInstanceOf(RangeError);
    const both = decodeError(encodeError(new AggregateError([root, root], "twice"))) as AggregateError;
    expect(both.errors.map((e: unknown) => (e as Error).message)).toEqual(["root", "root"]);
  });

  it("still marks a real cycle", () => {
    const a = new Error("a") as Error & { self?: unknown };
    a.self = a;
    const decoded = decodeError(encodeError(a)) as Error & { self: unknown };
    expect(decoded.self).toBe("[circular]");
  });

  it("never throws on a hostile getter: the other fields survive", () => {
    const error = new TypeError("hostile");
    Object.defineProperty(error, "bad", {
      enumerable: true,
      get() {
        throw new Error("getter fails");
      },
    });
    Object.assign(error, { good: 1 });
    const decoded = decodeError(encodeError(error)) as TypeError & { bad: unknown; good: unknown };
    expect(decoded).toBeInstanceOf(TypeError);
    expect(decoded.good).toBe(1);
    expect(String(decoded.bad)).toContain("unreadable");
  });
});
