import { describe, expectTypeOf, it } from "vitest";
import { Emitter, Event, type Subscriber } from "../src/index.js";

describe("event typing", () => {
  const pair = new Event<[number, string]>("pair");
  const emitter = new Emitter();

  it("types callback parameters from the event", () => {
    emitter.on(pair, (n, s) => {
      expectTypeOf(n).toEqualTypeOf<number>();
      expectTypeOf(s).toEqualTypeOf<string>();
    });
  });

  it("type-checks emit arguments", () => {
    emitter.emit(pair, 1, "a");
    // @ts-expect-error wrong order
    emitter.emit(pair, "a", 1);
    // @ts-expect-error missing argument
    emitter.emit(pair, 1);
  });

  it("rejects callbacks whose parameters do not fit", () => {
    // @ts-expect-error the first parameter is a number, not a string
    emitter.on(pair, (s: string) => s);
  });

  it("keeps events with different argument types apart", () => {
    const other = new Event<[string]>("other");
    // @ts-expect-error Event<[string]> is not Event<[number, string]>
    const same: Event<[number, string]> = other;
    void same;
  });

  it("types subscribers", () => {
    const onPair = emitter.subscriber(pair);
    expectTypeOf(onPair).toEqualTypeOf<Subscriber<[number, string]>>();
    onPair((n, s) => {
      expectTypeOf(n).toEqualTypeOf<number>();
      expectTypeOf(s).toEqualTypeOf<string>();
    });
    onPair.emit(2, "b");
    // @ts-expect-error wrong argument type
    onPair.emit("b", 2);
  });

  it("types events by name through the emitter's event map", () => {
    class Clapper extends Emitter<{ clap: [volume: number] }> {}
    const clapper = new Clapper();
    clapper.on("clap", (volume) => expectTypeOf(volume).toEqualTypeOf<number>());
    clapper.emit("clap", 0.5);
    // @ts-expect-error clap takes a number
    clapper.emit("clap", "loud");
  });
});

describe("variadic events", () => {
  it("accepts callbacks naming more parameters than the fixed part of a variadic event", () => {
    const limited = new Event<[task: string, ...args: any[]]>("limited");
    const emitter = new Emitter();
    emitter.on(limited, (task, x) => {
      expectTypeOf(task).toEqualTypeOf<string>();
      expectTypeOf(x).toEqualTypeOf<any>();
    });
    emitter.emit(limited, "t", 1, 2);
    // @ts-expect-error the task argument is required
    emitter.emit(limited);
  });
});
