import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@amltk/events";
import { FunctionNotFoundError, fromModule, functionRef, isFunctionRef, loadFunction, loadedFunction } from "../src/index.js";

const workUrl = new URL("./fixtures/work.js", import.meta.url);

describe("fromModule", () => {
  it("returns FunctionRefs named by module URL and export, without importing the module", () => {
    const work = fromModule<typeof import("./fixtures/work.js")>(workUrl);
    expect(work.double).toEqual({ kind: "amltk:function-ref", module: workUrl.href, exportName: "double" });
    expect(isFunctionRef(work.double)).toBe(true);
    expect(work.double).toBe(work.double);
    // A misspelt name is still a ref: it fails when the call runs, naming the export.
    const broken = fromModule<Record<string, () => void>>(new URL("./fixtures/broken.js", import.meta.url));
    expect(isFunctionRef(broken["anything"])).toBe(true);
  });

  it("is never mistaken for a promise and has no symbol keys", async () => {
    const work = fromModule<typeof import("./fixtures/work.js")>(workUrl) as unknown as Record<PropertyKey, unknown>;
    expect(work["then"]).toBeUndefined();
    expect(work[Symbol.iterator]).toBeUndefined();
    await expect(Promise.resolve(work)).resolves.toBe(work);
  });

  it("survives structured clone and JSON unchanged", () => {
    const ref = fromModule<typeof import("./fixtures/work.js")>(workUrl).double;
    expect(structuredClone(ref)).toEqual(ref);
    expect(JSON.parse(JSON.stringify(ref))).toEqual(ref);
    expect(isFunctionRef(structuredClone(ref))).toBe(true);
  });

  it("accepts absolute paths and rejects relative ones with a hint", () => {
    expect(functionRef("/tmp/work.js", "f").module).toBe("file:///tmp/work.js");
    expect(() => fromModule("./work.js")).toThrow(InvalidArgumentError);
    expect(() => fromModule("./work.js")).toThrow('new URL("./work.js", import.meta.url)');
    expect(() => functionRef(workUrl, "")).toThrow(InvalidArgumentError);
  });
});

describe("loadFunction", () => {
  it("imports the module once and returns the named export", async () => {
    const work = fromModule<typeof import("./fixtures/work.js")>(workUrl);
    const double = await loadFunction(work.double);
    expect(double(21)).toBe(42);
    expect(loadedFunction(work.double)).toBe(double);
    expect((await loadFunction(work.default))()).toBe(42);
  });

  it("fails with FunctionNotFoundError naming the module, the export and what exists", async () => {
    const work = fromModule<Record<string, () => void>>(workUrl);
    const error = await loadFunction(work["doubel"]!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionNotFoundError);
    expect((error as Error).message).toContain('"doubel"');
    expect((error as Error).message).toContain("double");
    expect((error as FunctionNotFoundError).code).toBe("ERR_AMLTK_FUNCTION_NOT_FOUND");
    await expect(loadFunction(work["notAFunction"]!)).rejects.toThrow(FunctionNotFoundError);
  });

  it("fails with the module's own error when it throws at import", async () => {
    const broken = fromModule<Record<string, () => void>>(new URL("./fixtures/broken.js", import.meta.url));
    await expect(loadFunction(broken["f"]!)).rejects.toThrow("broken at import");
  });
});
