import { describe, expect, it } from "vitest";
import { Emitter, Event } from "../src/index.js";
import { registrationSite } from "../src/registration-site.js";

const clap = new Event<[]>("clap");

describe("handler location", () => {
  it("is where an unnamed callback was registered, skipping the emitter's own frames", () => {
    const emitter = new Emitter({ name: "hands" });
    emitter.on(clap, () => {});
    const [handler] = emitter.listeners(clap);
    expect(handler!.name).toBe("anonymous");
    expect(handler!.location).toMatch(/^(packages\/events\/)?test\/handler-location\.test\.ts:10$/);
  });

  it("is undefined for a named function or a name option", () => {
    const emitter = new Emitter();
    emitter.on(clap, function applause() {});
    emitter.on(clap, () => {}, { name: "cheer" });
    expect(emitter.listeners(clap).map((h) => h.location)).toEqual([undefined, undefined]);
  });

  it("is undefined when the stack names no file outside the package", () => {
    const error = new Error();
    error.stack = "Error\n    at <anonymous>";
    expect(registrationSite(error)).toBeUndefined();
  });
});
