import { getEventListeners } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { Emitter, Event, EventNotKnownError, InvalidArgumentError } from "../src/index.js";

const tick = new Event<[n: number]>("tick");

function emitterWithTick() {
  const emitter = new Emitter();
  emitter.addEvent(tick);
  return emitter;
}

describe("Emitter dispatch", () => {
  it("calls handlers synchronously in registration order with the emitted arguments", () => {
    const emitter = emitterWithTick();
    const calls: string[] = [];
    emitter.on(tick, (n) => calls.push(`a${n}`));
    emitter.on("tick", (n: number) => calls.push(`b${n}`));
    emitter.on(tick, (n) => calls.push(`c${n}`));
    emitter.emit(tick, 1);
    calls.push("after");
    expect(calls).toEqual(["a1", "b1", "c1", "after"]);
  });

  it("counts each emission before its handlers run, by name", () => {
    const emitter = emitterWithTick();
    const seen: number[] = [];
    emitter.on(tick, () => seen.push(emitter.eventCounts.get("tick")!));
    emitter.emit(tick, 0);
    emitter.emit("tick", 0);
    expect(seen).toEqual([1, 2]);
    expect(emitter.eventCounts.get("tick")).toBe(2);
  });

  it("count() reads one event's count; eventCounts is a snapshot of the emitted ones", () => {
    const emitter = emitterWithTick();
    emitter.addEvent(new Event("never"));
    const before = emitter.eventCounts;
    emitter.emit(tick, 1);
    expect(emitter.count(tick)).toBe(1);
    expect(emitter.count("never")).toBe(0);
    expect([...emitter.eventCounts]).toEqual([["tick", 1]]);
    expect(before.size).toBe(0);
    expect(() => emitter.count("nope")).toThrow(EventNotKnownError);
  });

  it("treats two Event objects with the same name as the same event", () => {
    const emitter = new Emitter();
    const calls: number[] = [];
    emitter.on(new Event<[number]>("same"), (n) => calls.push(n));
    emitter.emit(new Event<[number]>("same"), 7);
    expect(calls).toEqual([7]);
  });

  it("does not call a handler registered during an emission until the next one", () => {
    const emitter = emitterWithTick();
    const calls: string[] = [];
    emitter.on(tick, () => {
      calls.push("first");
      emitter.on(tick, () => calls.push("late"));
    }, { maxCalls: 1 });
    emitter.emit(tick, 0);
    expect(calls).toEqual(["first"]);
    emitter.emit(tick, 0);
    expect(calls).toEqual(["first", "late"]);
  });
});

describe("unknown events", () => {
  it("throws EventNotKnownError at registration for an unknown name, listing the known ones", () => {
    const emitter = emitterWithTick();
    expect(() => emitter.on("tock", () => {})).toThrow(EventNotKnownError);
    try {
      emitter.on("tock", () => {});
    } catch (error) {
      expect((error as EventNotKnownError).code).toBe("ERR_AMLTK_EVENT_NOT_KNOWN");
      expect((error as Error).message).toContain('"tock"');
      expect((error as Error).message).toContain("tick");
    }
  });

  it("throws EventNotKnownError when emitting an unknown name", () => {
    expect(() => emitterWithTick().emit("tock")).toThrow(EventNotKnownError);
  });

  it("learns an event from an Event object passed to on, so its name works afterwards", () => {
    const emitter = new Emitter();
    const fresh = new Event<[]>("fresh");
    const cb = vi.fn();
    emitter.on(fresh, cb);
    emitter.emit("fresh");
    expect(cb).toHaveBeenCalledOnce();
    expect(emitter.events.map((e) => e.name)).toEqual(["fresh"]);
  });
});

describe("handler errors", () => {
  it("runs every handler even when one throws, then rethrows the error", () => {
    const emitter = emitterWithTick();
    const calls: string[] = [];
    const boom = new Error("boom");
    emitter.on(tick, () => {
      throw boom;
    });
    emitter.on(tick, () => calls.push("second"));
    expect(() => emitter.emit(tick, 1)).toThrow(boom);
    expect(calls).toEqual(["second"]);
  });

  it("rethrows an AggregateError when several handlers throw", () => {
    const emitter = emitterWithTick();
    emitter.on(tick, () => {
      throw new Error("one");
    });
    emitter.on(tick, () => {
      throw new Error("two");
    });
    try {
      emitter.emit(tick, 1);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AggregateError);
      expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual(["one", "two"]);
    }
  });

  it("lets subclasses receive errors and async callbacks instead", async () => {
    const received: unknown[] = [];
    const tracked: Promise<unknown>[] = [];
    class Quiet extends Emitter {
      protected override handleCallbackErrors(errors: unknown[]) {
        received.push(...errors);
      }
      protected override trackAsyncCallback(promise: Promise<unknown>) {
        tracked.push(promise);
      }
    }
    const emitter = new Quiet();
    emitter.on(tick, () => {
      throw new Error("sync");
    });
    emitter.on(tick, async () => "async");
    // A thenable that is not a native Promise (a Future, say) is a value, not an async callback.
    emitter.on(tick, () => ({ then: () => {} }));
    emitter.emit(tick, 1);
    expect(received.map((e) => (e as Error).message)).toEqual(["sync"]);
    expect(tracked).toHaveLength(1);
    await expect(tracked[0]).resolves.toBe("async");
  });
});

describe("unsubscribe and off", () => {
  it("returns an unsubscribe handle that removes exactly that handler", () => {
    const emitter = emitterWithTick();
    const a = vi.fn();
    const b = vi.fn();
    const offA = emitter.on(tick, a);
    emitter.on(tick, b);
    expect(offA()).toBe(true);
    expect(offA()).toBe(false);
    emitter.emit(tick, 1);
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledOnce();
  });

  it("off(name) removes handlers by their name option or function name", () => {
    const emitter = emitterWithTick();
    const calls: string[] = [];
    emitter.on(tick, () => calls.push("named"), { name: "logger" });
    emitter.on(tick, function keeper() {
      calls.push("keeper");
    });
    expect(emitter.off("logger")).toBe(1);
    emitter.emit(tick, 1);
    expect(calls).toEqual(["keeper"]);
    expect(emitter.off("keeper")).toBe(1);
    expect(emitter.listeners(tick)).toHaveLength(0);
  });

  it("off(callback) removes every registration of that callback", () => {
    const emitter = emitterWithTick();
    const cb = vi.fn();
    emitter.on(tick, cb);
    emitter.on(tick, cb);
    expect(emitter.off(cb)).toBe(2);
  });

  it("unsubscribes when the signal aborts, and registers nothing with an aborted signal", () => {
    const emitter = emitterWithTick();
    const cb = vi.fn();
    const controller = new AbortController();
    emitter.on(tick, cb, { signal: controller.signal });
    emitter.emit(tick, 1);
    controller.abort();
    emitter.emit(tick, 2);
    expect(cb).toHaveBeenCalledTimes(1);
    emitter.on(tick, cb, { signal: controller.signal });
    expect(emitter.listeners(tick)).toHaveLength(0);
  });
});

describe("abort signals", () => {
  function abortListeners(signal: AbortSignal): number {
    // Node keeps EventTarget listeners internally; count them through the documented helper.
    return getEventListeners(signal, "abort").length;
  }

  it("registers one abort listener per signal however many handlers share it", () => {
    const emitter = emitterWithTick();
    const controller = new AbortController();
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on("warning", onWarning);
    for (let i = 0; i < 20; i++) emitter.on(tick, () => {}, { signal: controller.signal });
    process.off("warning", onWarning);
    expect(abortListeners(controller.signal)).toBe(1);
    expect(warnings).toEqual([]);
    controller.abort();
    expect(emitter.listeners(tick)).toHaveLength(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it("off() and unsubscribe release the signal listener once no handler needs it", () => {
    const emitter = emitterWithTick();
    const controller = new AbortController();
    const off = emitter.on(tick, () => {}, { signal: controller.signal });
    emitter.on(tick, function named() {}, { signal: controller.signal });
    expect(off()).toBe(true);
    expect(abortListeners(controller.signal)).toBe(1);
    expect(emitter.off("named")).toBe(1);
    expect(abortListeners(controller.signal)).toBe(0);
  });
});

describe("subscriber", () => {
  it("registers, emits and counts through the subscriber", () => {
    const emitter = new Emitter();
    const onTick = emitter.subscriber(tick);
    const seen: number[] = [];
    onTick((n) => seen.push(n));
    onTick.emit(3);
    onTick.emit(4);
    expect(seen).toEqual([3, 4]);
    expect(onTick.count).toBe(2);
    expect(onTick.event).toBe(tick);
  });
});

describe("listeners", () => {
  it("reports handler names and call counts, hidden ones flagged", () => {
    const emitter = emitterWithTick();
    emitter.on(tick, function visible() {});
    emitter.on(tick, () => {}, { hidden: true, name: "plumbing" });
    emitter.emit(tick, 1);
    expect(emitter.listeners(tick).map((h) => [h.name, h.calls, h.hidden])).toEqual([
      ["visible", 1, false],
      ["plumbing", 1, true],
    ]);
  });
});

describe("validation", () => {
  it.each([
    ["repeat", 0],
    ["repeat", 1.5],
    ["every", 0],
    ["every", -2],
    ["maxCalls", 0],
    ["maxCalls", Number.NaN],
  ])("rejects %s = %s at registration", (option, value) => {
    const emitter = emitterWithTick();
    expect(() => emitter.on(tick, () => {}, { [option]: value })).toThrow(InvalidArgumentError);
    expect(() => emitter.on(tick, () => {}, { [option]: value })).toThrow(`options.${option} must be an integer >= 1`);
    expect(emitter.listeners(tick)).toHaveLength(0);
  });

  it("rejects a non-function callback, a non-function when and a non-signal", () => {
    const emitter = emitterWithTick();
    expect(() => emitter.on(tick, 42 as never)).toThrow("callback must be a function");
    expect(() => emitter.on(tick, () => {}, { when: true as never })).toThrow("options.when");
    expect(() => emitter.on(tick, () => {}, { signal: {} as never })).toThrow("options.signal");
  });

  it("rejects unknown option keys and allows maxCalls: Infinity", () => {
    const emitter = emitterWithTick();
    expect(() => emitter.on(tick, () => {}, { max_calls: 1 } as never)).toThrow(
      "options.max_calls must be one of the known options",
    );
    expect(() => emitter.on(tick, () => {}, { maxCalls: Number.POSITIVE_INFINITY, every: undefined })).not.toThrow();
  });

  it("rejects something that is neither an Event nor a name", () => {
    const emitter = emitterWithTick();
    expect(() => emitter.emit(null as unknown as Event<[]>)).toThrow(InvalidArgumentError);
    expect(() => emitter.on(42 as unknown as Event<[]>, () => {})).toThrow("event must be an Event or the name of a known event");
  });

  it("rejects an empty event name", () => {
    expect(() => new Event("")).toThrow(TypeError);
  });
});
