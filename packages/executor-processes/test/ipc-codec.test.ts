/**
 * The processes IPC channel's codec: JSON when JSON is exact, structured-clone bytes
 * otherwise. Each case is a value the old codec altered, hung on, or let crash the parent;
 * the last ones go through real child processes.
 */
import { describe, expect, it } from "vitest";
import { Scheduler } from "@amltk/scheduler";
import { processes } from "@amltk/executor-processes";
import { UnsendableValueError } from "@amltk/task/worker";
import { work } from "@amltk/testkit";
import { fromChannel, toChannel } from "../src/ipc-codec.js";

const SLOW = 20_000;

/** What Node's JSON IPC channel does to a message: stringify, then parse on the other side. */
const hop = (message: object): any => fromChannel(JSON.parse(JSON.stringify(toChannel(message))));

const packed = (message: object): boolean => "packed" in toChannel(message);

describe("ipc codec", () => {
  it("keeps plain data on the JSON path, unchanged", () => {
    const message = { type: "call", id: 1, args: [1, "two", true, null, { nested: [1.5] }] };
    expect(toChannel(message)).toBe(message);
    expect(hop(message)).toStrictEqual(message);
  });

  it("keeps a shared reference shared: [s, s] arrives as one object twice", () => {
    const s = { s: 1 };
    expect(packed({ args: [s, s] })).toBe(true);
    const out = hop({ args: [s, s] });
    expect(out.args[0]).toBe(out.args[1]);
  });

  it("keeps a cycle", () => {
    const a: any = { name: "a" };
    a.self = a;
    const out = hop({ args: [a] });
    expect(out.args[0].self).toBe(out.args[0]);
  });

  it("keeps extra properties of arrays", () => {
    const out = hop({ args: [Object.assign([1, 2], { extra: "kept" })] });
    expect(out.args[0].extra).toBe("kept");
  });

  it("keeps holes of arrays", () => {
    const out = hop({ args: [[1, , 3]] });
    expect(Object.keys(out.args[0])).toEqual(["0", "2"]);
  });

  it("checks a DAG of 41 levels by looking at each object once, not once per path", () => {
    // Getters count the reads; a walk path by path would read 2^41 times (it gives up at 10,000).
    let reads = 0;
    const read = (): void => {
      if (++reads > 10_000) throw new Error("read path by path");
    };
    let node: object = { leaf: true };
    for (let i = 0; i < 41; i++) {
      const next = node;
      node = {
        get a() {
          read();
          return next;
        },
        get b() {
          read();
          return next;
        },
      };
    }
    const out = hop({ args: [node] });
    expect(out.args[0].a).toBe(out.args[0].b);
    // The check stops at the first shared node; the serializer reads each getter once.
    expect(reads).toBeLessThanOrEqual(4 * 41);
  });

  it("keeps typed arrays as structured clone gives them: views on one buffer still share it", () => {
    const buffer = new ArrayBuffer(16);
    const out = hop({ args: [new Uint8Array(buffer, 4, 4), new Float64Array(buffer)] });
    expect(out.args[0].buffer).toBe(out.args[1].buffer);
    expect(out.args[0].byteOffset).toBe(4);
  });

  it("keeps what JSON would change: undefined, -0, NaN, bigint, Map, Date", () => {
    const args = [undefined, { u: undefined }, -0, NaN, 2n ** 80n, new Map([[1, new Set([2])]]), new Date(5)];
    expect(hop({ args }).args).toStrictEqual(args);
  });

  it("throws an ordinary error for a throwing getter, nesting too deep, and a function", () => {
    const failure = new Error("getter failed");
    expect(() =>
      toChannel({
        args: [
          {
            get x(): number {
              throw failure;
            },
          },
        ],
      }),
    ).toThrow(failure);
    let deep: object = {};
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    expect(() => toChannel({ args: [deep] })).toThrow(RangeError);
    expect(() => toChannel({ args: [() => 1] })).toThrow(/could not be cloned/);
  });

  it("packs a message whose getter sends another message while it is checked", () => {
    const inner = { type: "inner" };
    let nested: object | undefined;
    const message = {
      get args() {
        nested ??= toChannel(inner);
        return [1];
      },
    };
    expect(hop(message)).toEqual({ args: [1] });
    expect(nested).toBeDefined();
  });
});

describe("processes: bad arguments fail one call, they do not crash the parent", () => {
  it("fails a queued call whose argument has a throwing getter or very deep nesting, naming the path; other calls succeed", async () => {
    const executor = processes({ maxWorkers: 1 });
    const scheduler = new Scheduler({ executor });
    let deep: object = { leaf: 1 };
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    const shared = { s: 1 };
    const results: PromiseSettledResult<unknown>[] = [];
    scheduler.onStart(async () => {
      // Submitted together, so the bad ones wait in the queue behind the first call.
      const calls = [
        scheduler.submit(work.increment, 1),
        scheduler.submit(work.echo, {
          get lr(): number {
            throw new Error("getter failed");
          },
        }),
        scheduler.submit(work.echo, deep),
        scheduler.submit(work.echo, [shared, shared]),
        scheduler.submit(work.increment, 2),
      ];
      results.push(...(await Promise.allSettled(calls)));
    });
    await scheduler.run({ onException: "continue", timeout: SLOW });
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled", "fulfilled"]);
    const getter = (results[1] as PromiseRejectedResult).reason as UnsendableValueError;
    expect(getter).toBeInstanceOf(UnsendableValueError);
    expect(getter.path).toBe("args[0].lr");
    const tooDeep = (results[2] as PromiseRejectedResult).reason as UnsendableValueError;
    expect(tooDeep).toBeInstanceOf(UnsendableValueError);
    expect(tooDeep.path).toMatch(/^args\[0\]\.d\.d/);
    const echoed = (results[3] as PromiseFulfilledResult<Array<{ s: number }>>).value;
    expect(echoed[0]).toBe(echoed[1]);
    expect((results[4] as PromiseFulfilledResult<number>).value).toBe(3);
  }, SLOW);
});
