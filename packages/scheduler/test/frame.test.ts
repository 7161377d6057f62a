import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderFrame } from "../src/frame.js";
import { Scheduler, LiveDisplay, type Callable, type Plugin, type PreSubmitResult } from "../src/index.js";
import { displayWidth, truncate } from "../src/terminal-text.js";
import { sleep } from "./helpers.js";

class Budget implements Plugin {
  readonly name = "budget";
  attachTask() {}
  preSubmit(fn: Callable, args: unknown[]): PreSubmitResult {
    return [fn, args];
  }
  describe() {
    return { Calls: "3/1000", Note: "a very long plugin state value that no narrow terminal can show whole" };
  }
}

/** A scheduler mid-run with many running calls, several tasks, wide and coloured text. */
async function snapshotMidRun(sizes: Array<[number, number]>, color: boolean): Promise<Map<string, string[]>> {
  const scheduler = Scheduler.withSequential({ concurrency: 30 });
  const frames = new Map<string, string[]>();
  const wait = async function aFunctionWithAQuiteLongNameThatGoesOnAndOn(ms: number, label: string) {
    await sleep(ms);
    return label;
  };
  const tasks = ["alpha", "beta", "gamma", "delta", "epsilon"].map((name) =>
    scheduler.task(wait, { name, plugins: [new Budget()] }),
  );
  scheduler.onStart(() => {
    for (let i = 0; i < 40; i++) tasks[i % tasks.length]!.submit(30, `日本語の引数-${i}`);
  });
  tasks[0]!.onResult(() => {});
  scheduler.onFutureResult(function once() {
    if (frames.size > 0) return;
    for (const [columns, rows] of sizes) frames.set(`${columns}x${rows}`, renderFrame(scheduler, { columns, rows, color }));
  });
  await scheduler.run();
  return frames;
}

describe("the live frame", () => {
  const sizes: Array<[number, number]> = [
    [80, 24],
    [120, 50],
    [40, 10],
  ];

  it.each([true, false])("fits every terminal size, with colour %s: no line wider, at most rows - 1 lines", async (color) => {
    const frames = await snapshotMidRun(sizes, color);
    for (const [columns, rows] of sizes) {
      const lines = frames.get(`${columns}x${rows}`)!;
      expect(lines.length, `${columns}x${rows}`).toBeLessThanOrEqual(rows - 1);
      expect(lines.length, `${columns}x${rows}`).toBeGreaterThan(3);
      for (const line of lines) expect(displayWidth(line), JSON.stringify(line)).toBeLessThanOrEqual(columns);
      expect(lines.some((line) => line.includes("\x1b["))).toBe(color);
    }
    // The big terminal shows running calls with their time, the small one says what it left out.
    const plain = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, "");
    expect(frames.get("120x50")!.some((line) => /▶ +\d+\.\ds {2}aFunction/.test(plain(line)))).toBe(true);
    expect(plain(frames.get("40x10")!.at(-1)!)).toMatch(/^… \d+ more lines$/);
  });

  it("collapses events never emitted into one line and names arrow-function handlers by their source line", async () => {
    const scheduler = new Scheduler();
    scheduler.onStart(() => {});
    await scheduler.run();
    const lines = renderFrame(scheduler, { columns: 200, rows: 100, color: false });
    const quiet = lines.filter((line) => line.includes("0 ×"));
    expect(quiet).toEqual(["    0 × stop, timeout, future-submitted, future-done, future-result, future-exception, future-cancelled"]);
    expect(lines.some((line) => /start: (packages\/scheduler\/)?test\/frame\.test\.ts:\d+ ×1$/.test(line))).toBe(true);
    expect(scheduler.render()).toMatch(/test\/frame\.test\.ts:\d+ \(1\)/);
  });
});

describe("terminal text", () => {
  it("measures escape codes as zero and wide characters as two columns", () => {
    expect(displayWidth("\x1b[32mok\x1b[39m")).toBe(2);
    expect(displayWidth("日本")).toBe(4);
  });

  it("truncates with an ellipsis without splitting escape codes or overflowing on wide characters", () => {
    expect(truncate("hello world", 8)).toBe("hello w…");
    expect(truncate("日本語テキスト", 6)).toBe("日本…");
    const cut = truncate("\x1b[1mbold and long\x1b[22m", 6);
    expect(cut).toBe("\x1b[1mbold …\x1b[0m");
    expect(displayWidth(cut)).toBe(6);
    expect(truncate("short", 10)).toBe("short");
  });
});

/** A fake terminal stream that records what reaches the screen. */
function fakeTTY(): NodeJS.WriteStream & { text(): string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & { text(): string };
  let chunks = "";
  (stream as unknown as PassThrough).on("data", (c: Buffer) => (chunks += c.toString()));
  Object.assign(stream, { isTTY: true, columns: 40, rows: 10, text: () => chunks });
  return stream;
}

/** What a terminal would show: applies the frame's "erase line, move up" runs to the text. */
function screen(raw: string): string[] {
  const lines: string[] = [""];
  const parts = raw.split(/(\r\x1b\[2K(?:\x1b\[1A\x1b\[2K)+)/);
  for (const part of parts) {
    if (part.startsWith("\r\x1b[2K")) {
      const up = part.split("\x1b[1A").length - 1;
      lines.splice(lines.length - 1 - up, up + 1, "");
      continue;
    }
    const pieces = part.split("\n");
    lines[lines.length - 1] = `${lines.at(-1) ?? ""}${pieces[0] ?? ""}`;
    lines.push(...pieces.slice(1));
  }
  return lines;
}

describe("LiveDisplay output", () => {
  afterEach(() => vi.restoreAllMocks());

  it("prints intercepted lines above the frame, each once, joining partial lines, and restores write", () => {
    const out = fakeTTY();
    const err = fakeTTY();
    const originalOut = out.write;
    const originalErr = err.write;
    let n = 0;
    const display = LiveDisplay.start(() => [`frame ${++n}`, "second frame line"], (e) => { throw e; }, out, [err])!;
    out.write("line 1\n");
    out.write("line 2 ");
    out.write("continued\nline 3\n");
    err.write(Buffer.from("error line\n"));
    out.write("no newline at the end");
    display.stop();
    expect(out.write).toBe(originalOut);
    expect(err.write).toBe(originalErr);
    const shown = screen(out.text());
    expect(shown.filter((l) => l.startsWith("line"))).toEqual(["line 1", "line 2 continued", "line 3"]);
    // The final frame stays, once, below everything else; no stale frame is left above it.
    expect(shown.filter((l) => l.startsWith("frame"))).toHaveLength(1);
    expect(shown.slice(-4)).toEqual(["no newline at the end", `frame ${String(n)}`, "second frame line", ""]);
    expect(err.text()).toBe("error line\n");
  });

  it("prints a line written from inside the render function once, without redrawing recursively", () => {
    const out = fakeTTY();
    let renders = 0;
    const display = LiveDisplay.start(
      () => {
        renders++;
        out.write(`logged while rendering ${renders}\n`);
        return ["frame"];
      },
      (e) => { throw e; },
      out,
      [],
    )!;
    display.draw();
    display.stop();
    expect(renders).toBe(3);
    const shown = screen(out.text());
    expect(shown.filter((l) => l.startsWith("logged"))).toEqual([
      "logged while rendering 1",
      "logged while rendering 2",
      "logged while rendering 3",
    ]);
    expect(shown.filter((l) => l === "frame")).toHaveLength(1);
  });

    it("redraws on resize at the new size", () => {
    const out = fakeTTY();
    const sizes: number[] = [];
    const display = LiveDisplay.start((size) => (sizes.push(size.columns), ["x"]), (e) => { throw e; }, out, [])!;
    Object.assign(out, { columns: 100 });
    out.emit("resize");
    expect(sizes).toEqual([40, 100]);
    display.stop();
  });

  it("restores process.stdout and process.stderr when a run with the display throws", async () => {
    const isTTY = process.stdout.isTTY;
    const write = process.stdout.write;
    const errWrite = process.stderr.write;
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const mocked = process.stdout.write;
    Object.defineProperty(process.stdout, "isTTY", { value: true, configurable: true });
    try {
      const scheduler = new Scheduler();
      scheduler.onStart(() => {
        expect(process.stdout.write).not.toBe(mocked);
        throw new Error("boom");
      });
      await expect(scheduler.run({ display: true })).rejects.toThrow("boom");
      expect(process.stdout.write).toBe(mocked);
      expect(process.stderr.write).toBe(errWrite);
    } finally {
      Object.defineProperty(process.stdout, "isTTY", { value: isTTY, configurable: true });
      process.stdout.write = write;
    }
  });
});
