/**
 * The monitor example: a random search on processes with a QueueMonitor. The plot it writes
 * is read back: one bar per trial, each on the lane of the worker the monitor says ran it,
 * with the legend, the axes and the title a person looks for.
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExitCode } from "@amltk/scheduler";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { collect, example, expectNoWorkersLeft } from "./helpers.js";

/** The `data-*` attributes of each `<rect class="bar">`, the task-stream bars. */
function bars(svg: string): Array<Record<string, string>> {
  return [...svg.matchAll(/<rect class="bar" ([^>]*)>/g)].map((match) =>
    Object.fromEntries([...match[1]!.matchAll(/data-([a-z-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!])),
  );
}

describe("monitor, on processes", () => {
  let dir: string;
  beforeEach(() => {
    vi.stubEnv("AMLTK_EXECUTOR", "processes");
    dir = mkdtempSync(join(tmpdir(), "amltk-examples-monitor-"));
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  test("plots one bar per trial on the lane of the worker that ran it, with legend and axes", async () => {
    const { main, TRIALS } = await example<typeof import("../src/monitor.js")>("monitor");
    const { lines, log } = collect();
    const file = join(dir, "search.svg");
    const { exit, scheduler, monitor, file: written } = await main(log, file);
    expect(exit.code).toBe(ExitCode.EXHAUSTED);
    expect(written).toBe(file);
    expect(scheduler.executor.kind).toBe("processes");
    expectNoWorkersLeft(scheduler);
    expect(lines[1]).toContain(`plot written to ${file}`);

    const svg = readFileSync(file, "utf8");
    const drawn = bars(svg);
    const started = monitor.records().filter((record) => record.event === "started");
    expect(started).toHaveLength(TRIALS);
    expect(drawn).toHaveLength(TRIALS);
    // Each call once, on the lane and worker the monitor recorded for it.
    const byCall = new Map(drawn.map((bar) => [Number(bar["call-id"]), bar]));
    expect(byCall.size).toBe(TRIALS);
    for (const record of started) {
      const bar = byCall.get(record.callId);
      expect(bar, `call ${record.callId}`).toMatchObject({ lane: String(record.lane), worker: record.worker, task: "trial", outcome: "result" });
    }
    const lanes = new Set(drawn.map((bar) => bar["lane"]));
    expect(lanes.size).toBeGreaterThanOrEqual(2);
    expect(lanes.size).toBeLessThanOrEqual(4);
    for (const lane of lanes) expect(svg).toContain(`class="lane-label" data-lane="${lane}"`);

    expect(svg).toContain(">Random search: 40 trials on processes<");
    for (const key of ["running", "idle", "queued", "task:trial", "failed", "cancelled"]) {
      expect(svg).toContain(`class="legend-item" data-key="${key}"`);
    }
    for (const axis of ["x-queue", "x-workers", "y-calls"]) expect(svg).toContain(`class="axis" data-axis="${axis}"`);
    expect(svg).toContain("seconds since the run started");
  }, 30_000);
});
