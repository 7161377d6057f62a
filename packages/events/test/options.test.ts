import { describe, expect, it } from "vitest";
import { Emitter, Event } from "../src/index.js";

const ping = new Event<[]>("ping");

function run(options: Parameters<Emitter["on"]>[2], emissions: number, extra?: (e: Emitter) => void) {
  const emitter = new Emitter();
  emitter.addEvent(ping);
  const firedAt: number[] = [];
  emitter.on(ping, () => firedAt.push(emitter.eventCounts.get("ping")!), options);
  extra?.(emitter);
  for (let i = 0; i < emissions; i++) emitter.emit(ping);
  return firedAt;
}

describe("callback options", () => {
  it("repeat calls the callback n times per emission", () => {
    expect(run({ repeat: 3 }, 2)).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it("maxCalls stops calling after n calls", () => {
    expect(run({ maxCalls: 2 }, 5)).toEqual([1, 2]);
  });

  it("a repeat burst counts once towards maxCalls", () => {
    expect(run({ repeat: 2, maxCalls: 2 }, 4)).toEqual([1, 1, 2, 2]);
  });

  it("every n fires on the n-th, 2n-th, ... emission, not the first", () => {
    expect(run({ every: 2 }, 6)).toEqual([2, 4, 6]);
  });

  it("every counts emissions seen by the handler since it was registered", () => {
    const emitter = new Emitter();
    emitter.addEvent(ping);
    for (let i = 0; i < 3; i++) emitter.emit(ping);
    const firedAt: number[] = [];
    emitter.on(ping, () => firedAt.push(emitter.eventCounts.get("ping")!), { every: 2 });
    for (let i = 0; i < 4; i++) emitter.emit(ping);
    expect(firedAt).toEqual([5, 7]);
  });

  it("every with maxCalls 1 fires only on the every-th emission", () => {
    expect(run({ every: 2, maxCalls: 1 }, 6)).toEqual([2]);
  });

  it("when gates each call and is evaluated lazily, only on emissions that pass every", () => {
    let whenCalls = 0;
    const firedAt = run(
      {
        every: 2,
        when: () => {
          whenCalls++;
          return whenCalls !== 2;
        },
      },
      6,
    );
    expect(whenCalls).toBe(3);
    expect(firedAt).toEqual([2, 6]);
  });

  it("when sees the count already incremented", () => {
    const emitter = new Emitter();
    emitter.addEvent(ping);
    const fired: number[] = [];
    emitter.on(ping, () => fired.push(emitter.eventCounts.get("ping")!), {
      when: () => emitter.eventCounts.get("ping") === 2,
    });
    emitter.emit(ping);
    emitter.emit(ping);
    emitter.emit(ping);
    expect(fired).toEqual([2]);
  });

  it("skipped emissions by when do not count towards maxCalls", () => {
    let allow = false;
    const fired = run({ maxCalls: 1, when: () => allow }, 0, (e) => {
      e.emit(ping);
      allow = true;
      e.emit(ping);
      e.emit(ping);
    });
    expect(fired).toEqual([2]);
  });

  it("the handler records seen emissions and calls", () => {
    const emitter = new Emitter();
    emitter.addEvent(ping);
    emitter.on(ping, () => {}, { every: 2, name: "h" });
    for (let i = 0; i < 5; i++) emitter.emit(ping);
    const [handler] = emitter.listeners(ping);
    expect(handler).toMatchObject({ name: "h", seen: 5, calls: 2 });
  });
});
