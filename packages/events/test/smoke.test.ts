import { expect, test } from "vitest";
import { Emitter, Event } from "../src/index.js";

test("smoke", () => {
  const e = new Emitter();
  const ev = new Event<[number]>("x");
  const seen: number[] = [];
  e.on(ev, (n) => seen.push(n));
  e.emit(ev, 1);
  expect(seen).toEqual([1]);
});
