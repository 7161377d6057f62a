/**
 * The wire codecs, table-driven: every value kind through every profile. A value a profile
 * carries must arrive deep-equal (and with shared references still shared, cycles still
 * cycles); a value it refuses must fail with UnsendableValueError naming the value's path.
 */
import { describe, expect, it } from "vitest";
import { CancelledError } from "../../src/index.js";
import {
  InvalidArgumentErrorFor,
  UnsendableValueError,
  WireDecodeError,
  createMsgpackCodec,
  msgpackCodec,
  structuredCloneBytesCodec,
  structuredCloneCodec,
  type WireCodec,
} from "./codecs-helpers.js";

type ProfileName = "structured-clone" | "structured-clone-bytes" | "msgpack";

interface Profile {
  readonly name: ProfileName;
  readonly codec: WireCodec<any>;
  /** The hop a transport makes between encode and decode. */
  readonly hop: (wire: any) => any;
}

const profiles: Profile[] = [
  // postMessage clones what encode returns, as a MessagePort does.
  { name: "structured-clone", codec: structuredCloneCodec, hop: (wire) => structuredClone(wire) },
  { name: "structured-clone-bytes", codec: structuredCloneBytesCodec, hop: (wire: Uint8Array) => Buffer.from(wire) },
  { name: "msgpack", codec: msgpackCodec, hop: (wire: Uint8Array) => new Uint8Array(wire) },
];

const roundTrip = (profile: Profile, value: unknown): any => profile.codec.decode(profile.hop(profile.codec.encode(value, "args")));

class Model {
  weights = [1, 2];
  fit(): void {}
}
class BudgetError extends Error {
  override name = "BudgetError";
  constructor(
    message: string,
    readonly budget: number,
  ) {
    super(message);
  }
}

/** What a case expects of a profile: carried (with an extra check), or refused at a path. */
type Expect = { readonly refused: string } | "carried";

interface Case {
  readonly name: string;
  readonly make: () => unknown;
  /** Per profile; profiles not listed carry the value. */
  readonly expect?: Partial<Record<ProfileName, Expect>>;
  /** What toStrictEqual does not see: identity, holes, extra keys, prototypes. */
  readonly check?: (out: any, input: any) => void;
  /** Compare against this instead of the input (a documented change). */
  readonly expected?: (input: any) => unknown;
  /** Skip the deep comparison (vitest's own equality walks a DAG path by path). */
  readonly checkOnly?: true;
}

const shared = { s: 1 };
const refusedEverywhere = (path: string): Partial<Record<ProfileName, Expect>> => ({
  "structured-clone": { refused: path },
  "structured-clone-bytes": { refused: path },
  msgpack: { refused: path },
});

const deep = (levels: number): unknown => {
  let value: unknown = { leaf: true };
  for (let i = 0; i < levels; i++) value = { d: value };
  return value;
};
const dag = (levels: number): any => {
  let node: any = { leaf: true };
  for (let i = 0; i < levels; i++) node = { a: node, b: node };
  return node;
};
const viewsOnOneBuffer = (): unknown => {
  const buffer = new ArrayBuffer(16);
  return [new Uint8Array(buffer, 4, 4), new Uint16Array(buffer)];
};

const cases: Case[] = [
  { name: "primitives", make: () => [0, 1, -1, 1.5, 2 ** 53 + 2, 2 ** 31, -(2 ** 40), true, false, null, "", "text"] },
  { name: "-0", make: () => [-0, { z: -0 }], check: (out) => expect(Object.is(out[0], -0) && Object.is(out[1].z, -0)).toBe(true) },
  { name: "NaN and infinities", make: () => [NaN, Infinity, -Infinity] },
  {
    name: "undefined in objects and arrays",
    make: () => [undefined, { u: undefined }, [undefined]],
    check: (out) => {
      expect(out).toHaveLength(3);
      expect(Object.keys(out[1])).toEqual(["u"]);
    },
  },
  { name: "undefined alone", make: () => undefined },
  { name: "bigint: positive, negative, huge", make: () => [0n, 1n, -1n, 2n ** 64n, -(2n ** 200n) - 7n, 12345678901234567890123n] },
  { name: "Date, invalid Date too", make: () => [new Date(0), new Date(1_700_000_000_123), new Date(Number.NaN)] },
  { name: "RegExp", make: () => [/a+b/giu, new RegExp("\\d", "y")] },
  {
    name: "RegExp with lastIndex",
    make: () => Object.assign(/x/g, { lastIndex: 3 }),
    expect: { "structured-clone": { refused: "args" }, "structured-clone-bytes": { refused: "args" } },
    check: (out) => expect(out.lastIndex).toBe(3),
  },
  { name: "Map", make: () => new Map<unknown, unknown>([["a", 1], [2, undefined], [3n, new Date(1)]]) },
  {
    name: "Map with object keys, nested",
    make: () => new Map<unknown, unknown>([[{ k: 1 }, new Map([[[1, 2], new Set([{ s: 1 }])]])]]),
  },
  { name: "Set", make: () => new Set<unknown>([1, "a", undefined, null, { o: 1 }]) },
  ...[
    new Int8Array([-1, 2]),
    new Uint8Array([0, 255]),
    new Uint8ClampedArray([0, 255]),
    new Int16Array([-300]),
    new Uint16Array([65535]),
    new Int32Array([-(2 ** 31)]),
    new Uint32Array([2 ** 32 - 1]),
    new Float32Array([1.5, Number.NaN]),
    new Float64Array([Math.PI, -0]),
    new BigInt64Array([-(2n ** 63n)]),
    new BigUint64Array([2n ** 64n - 1n]),
  ].map(
    (array): Case => ({
      name: `typed array ${array.constructor.name}`,
      make: () => array.slice(),
      check: (out, input) => {
        expect(out.constructor).toBe(input.constructor);
        expect(new Uint8Array(out.buffer)).toEqual(new Uint8Array(input.buffer));
      },
    }),
  ),
  { name: "ArrayBuffer", make: () => new Uint8Array([1, 2, 3]).buffer, check: (out) => expect(out).toBeInstanceOf(ArrayBuffer) },
  {
    name: "DataView",
    make: () => new DataView(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2),
    check: (out) => {
      expect(out).toBeInstanceOf(DataView);
      expect([out.byteOffset, out.byteLength, out.getUint8(0)]).toEqual([1, 2, 2]);
    },
  },
  {
    name: "views sharing one buffer",
    make: viewsOnOneBuffer,
    check: (out) => {
      expect(out[0].buffer).toBe(out[1].buffer);
      expect(out[0].byteOffset).toBe(4);
    },
  },
  {
    name: "Buffer (documented: arrives as Uint8Array)",
    make: () => Buffer.from("bytes"),
    expected: (input: Buffer) => new Uint8Array(input.buffer, input.byteOffset, input.length),
    check: (out) => expect(Buffer.from(out.buffer, out.byteOffset, out.length).toString()).toBe("bytes"),
  },
  { name: "shared reference [s, s]", make: () => [shared, shared], check: (out) => expect(out[0]).toBe(out[1]) },
  {
    name: "cycle",
    make: () => {
      const a: any = { name: "a", list: [] };
      a.list.push(a, { back: a });
      a.map = new Map([["self", a]]);
      return a;
    },
    check: (out) => {
      expect(out.list[0]).toBe(out);
      expect(out.list[1].back).toBe(out);
      expect(out.map.get("self")).toBe(out);
    },
  },
  {
    name: "DAG of 41 levels, each referencing the next twice",
    make: () => dag(41),
    checkOnly: true,
    check: (out) => {
      let node = out;
      for (let i = 0; i < 41; i++) {
        expect(node.a).toBe(node.b);
        node = node.a;
      }
      expect(node).toEqual({ leaf: true });
    },
  },
  {
    name: "sparse array",
    make: () => [1, , 3, , ,],
    check: (out) => {
      expect(out).toHaveLength(5);
      expect(Object.keys(out)).toEqual(["0", "2"]);
    },
  },
  {
    name: "array with an extra property (and holes)",
    make: () => Object.assign([1, , 3], { extra: "kept" }),
    check: (out) => expect(Object.keys(out)).toEqual(["0", "2", "extra"]),
  },
  {
    name: "errors: subclasses with cause, code, own fields",
    make: () => [
      Object.assign(new TypeError("bad", { cause: new RangeError("root") }), { code: "E_BAD", detail: { n: 1 } }),
      new CancelledError("stop"),
      new AggregateError([new Error("one")], "many"),
    ],
    // Rebuilt errors are made without their constructor (the error codec's rule), so they
    // are not native errors and vitest's equality would compare them as plain objects.
    checkOnly: true,
    check: (out, input) => {
      expect(out.map((e: Error) => [e.name, e.message, e.stack])).toEqual(input.map((e: Error) => [e.name, e.message, e.stack]));
      expect(out[0]).toBeInstanceOf(TypeError);
      expect(out[0].code).toBe("E_BAD");
      expect(out[0].detail).toEqual({ n: 1 });
      expect(out[0].cause).toBeInstanceOf(RangeError);
      expect(out[1]).toBeInstanceOf(CancelledError);
      expect(out[2].errors[0].message).toBe("one");
    },
  },
  {
    name: "an unregistered Error subclass keeps its name and fields",
    make: () => new BudgetError("over", 3),
    expected: () => expect.objectContaining({ name: "BudgetError", message: "over", budget: 3 }),
    check: (out) => expect(out).toBeInstanceOf(Error),
  },
  {
    name: "an object that looks like the codec's own marker",
    make: () => ({ "amltk:wire": "root", v: 1, e: new Error("x"), inner: { "amltk:wire": "error", e: 1 } }),
    checkOnly: true,
    check: (out) => {
      expect(Object.keys(out)).toEqual(["amltk:wire", "v", "e", "inner"]);
      expect([out["amltk:wire"], out.v, out.inner]).toEqual(["root", 1, { "amltk:wire": "error", e: 1 }]);
      expect(out.e).toBeInstanceOf(Error);
      expect(out.e.message).toBe("x");
    },
  },
  { name: "big string", make: () => "x".repeat(1_000_000) + "é" },
  { name: "unicode, lone surrogates too", make: () => ["héllo wörld 日本 🎉", "\uD800", "a\uDC00b", { "\uD83D": "key" }, `${"long ".repeat(400)}\uD800`] },
  { name: "__proto__ as a key", make: () => JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'), check: (out) => expect(Object.getPrototypeOf(out)).toBe(Object.prototype) },
  {
    name: "Object.create(null)",
    make: () => Object.assign(Object.create(null), { a: 1 }),
    expect: { "structured-clone": { refused: "args" }, "structured-clone-bytes": { refused: "args" } },
    check: (out) => expect(Object.getPrototypeOf(out)).toBe(null),
  },
  { name: "boxed primitive", make: () => [new Number(1), new String("s")], expect: { msgpack: { refused: "args[0]" } } },
  {
    name: "SharedArrayBuffer",
    make: () => ({ sab: new SharedArrayBuffer(8) }),
    expect: { "structured-clone-bytes": { refused: "args" }, msgpack: { refused: "args.sab" } },
    check: (out) => expect(out.sab).toBeInstanceOf(SharedArrayBuffer),
  },
  // Refused everywhere.
  { name: "function", make: () => [{ model: { fit: () => 1 } }], expect: refusedEverywhere("args[0].model.fit") },
  { name: "symbol", make: () => ({ tag: Symbol("t") }), expect: refusedEverywhere("args.tag") },
  { name: "class instance", make: () => ({ model: new Model() }), expect: refusedEverywhere("args.model") },
  { name: "Map subclass", make: () => [new (class Registry extends Map {})()], expect: refusedEverywhere("args[0]") },
  { name: "WeakMap", make: () => new Map([["w", new WeakMap()]]), expect: refusedEverywhere('args.get("w")') },
  { name: "Promise", make: () => ({ p: Promise.resolve(1) }), expect: refusedEverywhere("args.p") },
  { name: "function in a Set", make: () => new Set([1, () => 2]), expect: refusedEverywhere("args.values()[1]") },
  { name: "function in an array's extra property", make: () => Object.assign([1], { cb: () => 1 }), expect: refusedEverywhere("args.cb") },
  {
    name: "Proxy whose traps throw",
    make: () => ({ p: new Proxy({}, { getPrototypeOf: () => { throw new Error("trap"); }, ownKeys: () => { throw new Error("trap"); } }) }),
    expect: refusedEverywhere("args.p"),
  },
  { name: "harmless Proxy", make: () => [new Proxy({ a: 1 }, {})], expect: refusedEverywhere("args[0]") },
  {
    name: "getter that throws",
    make: () => ({
      config: {
        get lr(): number {
          throw new Error("getter failed");
        },
      },
    }),
    expect: refusedEverywhere("args.config.lr"),
  },
  { name: "100,000 levels of nesting", make: () => deep(100_000), expect: refusedEverywhere("args.d.d.d") },
];

describe.each(profiles)("$name codec", (profile) => {
  it.each(cases)("$name", (c) => {
    const input = c.make();
    const expectation = c.expect?.[profile.name] ?? "carried";
    if (expectation === "carried") {
      const out = roundTrip(profile, input);
      if (c.checkOnly !== true) expect(out).toStrictEqual(c.expected === undefined ? input : c.expected(input));
      c.check?.(out, input);
      expect(profile.codec.canSend(input, "args")).toBeUndefined();
      return;
    }
    let thrown: unknown;
    try {
      profile.codec.encode(input, "args");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnsendableValueError);
    const error = thrown as UnsendableValueError;
    expect(error.path.startsWith(expectation.refused)).toBe(true);
    expect(error.message).toContain(`Cannot send ${error.path.slice(0, 30)}`);
    // canSend names the same place and never throws.
    expect(profile.codec.canSend(input, "args")?.path).toBe(error.path);
  });

  it("names the getter's own error as the cause of the refusal", () => {
    const failure = new Error("getter failed");
    const input = {
      get x(): number {
        throw failure;
      },
    };
    expect(() => profile.codec.encode(input, "result")).toThrow(expect.objectContaining({ path: "result.x", cause: failure }));
  });

  it("says why a value nested too deep is refused, and shortens the path", () => {
    expect(() => profile.codec.encode(deep(100_000), "args")).toThrow(/nests deeper than 1000 levels/);
    const path = profile.codec.canSend(deep(100_000), "args")!.path;
    expect(path.length).toBeLessThan(200);
  });

  it("carries 1000 levels, the documented limit", () => {
    expect(roundTrip(profile, deep(999))).toStrictEqual(deep(999));
  });

  it("does not alter the value it was given", () => {
    const input = { e: new Error("x"), list: [1, , 3], m: new Map([[1, { o: "marker-like" }]]) };
    const before = structuredClone(input);
    roundTrip(profile, input);
    expect(input).toStrictEqual(before);
  });
});

describe("msgpack codec", () => {
  it("encodes a DAG with 2^200 paths by visiting each node once", () => {
    // A walk path by path would never finish; no timing assertion is needed.
    const out = msgpackCodec.decode(msgpackCodec.encode(dag(200))) as any;
    expect(out.a).toBe(out.b);
    expect(out.a.a.a).toBe(out.b.b.b);
  });

  it("refuses a cycle that runs through an error, instead of rebuilding it wrong", () => {
    const error = new Error("loop") as Error & { registry?: Map<string, unknown> };
    error.registry = new Map([["self", error]]);
    expect(() => msgpackCodec.encode([error], "args")).toThrow(/cycle that runs through an error/);
  });

  it("rejects bytes it did not write with WireDecodeError", () => {
    expect(() => msgpackCodec.decode(new Uint8Array([0xc1]))).toThrow(WireDecodeError);
    // A reference to an object that was never written.
    expect(() => msgpackCodec.decode(new Uint8Array([0xd6, 3, 0, 0, 0, 9]))).toThrow(/reference to object 9/);
  });

  it("rejects unknown options", () => {
    expect(() => createMsgpackCodec({ maxDeph: 3 } as never)).toThrow(InvalidArgumentErrorFor("createMsgpackCodec(options).maxDeph"));
  });

  it("round-trips 2,000 random nested values from a seeded generator", () => {
    let seed = 0x2545f491;
    const random = (): number => {
      // xorshift32: the same sequence on every run.
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const pool: object[] = [];
    const leaf = (): unknown =>
      pick<() => unknown>([
        () => undefined,
        () => null,
        () => -0,
        () => Number.NaN,
        () => random() * 1e6 - 5e5,
        () => Math.floor(random() * 2 ** 53),
        () => BigInt(Math.floor(random() * 1e9)) ** 3n * (random() < 0.5 ? -1n : 1n),
        () => String.fromCharCode(...Array.from({ length: Math.floor(random() * 6) }, () => Math.floor(random() * 0xffff))),
        () => random() < 0.5,
        () => new Date(Math.floor(random() * 1e12)),
        () => new Float64Array([random(), -random()]),
        () => (pool.length > 0 ? pick(pool) : 0),
      ])();
    const node = (depth: number): unknown => {
      if (depth > 4 || random() < 0.3) return leaf();
      const size = Math.floor(random() * 4);
      const kind = Math.floor(random() * 5);
      let out: object;
      if (kind === 0) out = Array.from({ length: size }, () => node(depth + 1));
      else if (kind === 1) out = Object.fromEntries(Array.from({ length: size }, (_, i) => [`k${i}`, node(depth + 1)]));
      else if (kind === 2) out = new Map(Array.from({ length: size }, () => [node(depth + 1), node(depth + 1)]));
      else if (kind === 3) out = new Set(Array.from({ length: size }, () => node(depth + 1)));
      else {
        const sparse: unknown[] = [];
        sparse[size * 2] = node(depth + 1);
        out = Object.assign(sparse, { extra: node(depth + 1) });
      }
      if (random() < 0.2) pool.push(out);
      return out;
    };
    for (let i = 0; i < 2000; i++) {
      const value = node(0);
      const out = msgpackCodec.decode(msgpackCodec.encode(value, `value ${i}`));
      // Structured clone is the reference: same values, same sharing.
      expect(out).toStrictEqual(structuredClone(value));
    }
  });
});
