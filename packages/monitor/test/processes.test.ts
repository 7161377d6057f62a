/**
 * The monitor on child processes: lanes follow the pool's real concurrency (never more lanes
 * than workers, one bar per call), and a trace of the same run reads back the same way.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { processes } from "@amltk/executor-processes";
import { Scheduler } from "@amltk/scheduler";
import { work } from "@amltk/testkit";
import { describe, expect, it } from "vitest";
import { QueueMonitor, readTrace, trace } from "../src/index.js";
import { barsOf, tempDir } from "./helpers.js";

/**
 * The scheduler hears that a call ended a few microtasks after the pool started the next one
 * on the same worker, so consecutive bars of a lane may overlap by that much, never more.
 */
const HANDOVER_SECONDS = 0.005;

describe("QueueMonitor on processes", () => {
  it("draws each call once, on at most maxWorkers lanes, one call at a time per lane", async () => {
    const scheduler = new Scheduler({ executor: processes({ maxWorkers: 2 }) });
    const monitor = new QueueMonitor(scheduler);
    const dir = tempDir();
    const tracing = trace(scheduler, join(dir, "run.jsonl"));
    const nap = scheduler.task(work.sleep, { name: "nap" });
    scheduler.onStart(() => {
      for (let i = 0; i < 8; i++) nap.submit(20 + 10 * (i % 3), i);
    });
    await scheduler.run();
    tracing.close();
    expect((scheduler.executor as unknown as { liveWorkers: number }).liveWorkers ?? 0).toBe(0);

    const { bars, lanes, capacity } = monitor.timeline();
    expect(capacity).toBe(2);
    expect(lanes.length).toBeGreaterThanOrEqual(1);
    expect(lanes.length).toBeLessThanOrEqual(2);
    expect(bars.map((bar) => bar.callId).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (let lane = 0; lane < lanes.length; lane++) {
      const onLane = bars.filter((bar) => bar.lane === lane).sort((a, b) => a.start - b.start);
      for (let i = 1; i < onLane.length; i++) {
        expect(onLane[i]!.start).toBeGreaterThanOrEqual(onLane[i - 1]!.end! - HANDOVER_SECONDS);
      }
    }
    const svg = monitor.toSVG();
    expect(barsOf(svg).map((bar) => [Number(bar["call-id"]), Number(bar["lane"])])).toEqual(bars.map((bar) => [bar.callId, bar.lane]));
    const replayed = readTrace(join(dir, "run.jsonl")).timeline;
    expect(replayed.bars.map((bar) => [bar.callId, bar.lane])).toEqual(bars.map((bar) => [bar.callId, bar.lane]));
    expect(readFileSync(join(dir, "run.jsonl"), "utf8")).toContain('"executor":"processes"');
  });
});
