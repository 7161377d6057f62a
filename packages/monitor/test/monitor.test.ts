/**
 * QueueMonitor on the in-process executor, on fake timers so every time is exact: records and
 * counts per transition, lanes (slots), utilisation, CSV, the SVG, options and close().
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InvalidArgumentError, Scheduler, SequentialExecutor } from "@amltk/scheduler";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { QueueMonitor } from "../src/index.js";
import { barsOf, legendKeysOf, nap, napThenFail, tempDir } from "./helpers.js";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Runs `scheduler` to its end, moving the fake clock along. Bounded: at most 100 steps. */
async function runToEnd(scheduler: Scheduler, options?: Parameters<Scheduler["run"]>[0]): Promise<void> {
  let finished = false;
  let failure: unknown;
  const run = scheduler.run(options).then(
    () => (finished = true),
    (error: unknown) => {
      finished = true;
      failure = error;
    },
  );
  for (let step = 0; step < 100 && !finished; step++) await vi.advanceTimersByTimeAsync(10);
  await run;
  if (failure !== undefined) throw failure;
  expect(finished).toBe(true);
}

function twoSlots(): Scheduler {
  return new Scheduler({ executor: new SequentialExecutor({ concurrency: 2 }) });
}

describe("QueueMonitor records", () => {
  it("records each submit, start and end with its time and the counts after it", async () => {
    const scheduler = twoSlots();
    const monitor = new QueueMonitor(scheduler);
    const task = scheduler.task(nap, { name: "nap" });
    scheduler.onStart(() => {
      task.submit(100);
      task.submit(300);
      task.submit(100);
    });
    await runToEnd(scheduler);
    const rows = monitor.records().map((r) => [r.event, r.callId, Math.round(r.time * 1000), r.lane, r.queued, r.running, r.finished]);
    expect(rows).toEqual([
      ["submitted", 1, 0, null, 1, 0, 0],
      ["submitted", 2, 0, null, 2, 0, 0],
      ["submitted", 3, 0, null, 3, 0, 0],
      ["started", 1, 0, 0, 2, 1, 0],
      ["started", 2, 0, 1, 1, 2, 0],
      ["done", 1, 100, 0, 1, 1, 1],
      // Call 3 starts in the slot call 1 freed, not on a third lane.
      ["started", 3, 100, 0, 0, 2, 1],
      ["done", 3, 200, 0, 0, 1, 2],
      ["done", 2, 300, 1, 0, 0, 3],
    ]);
    const record = monitor.records()[0]!;
    expect(record.task).toBe("nap");
    expect(record.worker).toBe(null);
    expect(new Date(record.date).getTime()).not.toBeNaN();
    expect(monitor.counts).toEqual({ queued: 0, running: 0, finished: 3, cancelled: 0 });
  });

  it("gives a call the slot of the call that just finished, even before the scheduler hears of the finish", async () => {
    // One slot: the executor starts call 2 the moment call 1 returns, microtasks before
    // the scheduler settles call 1; a monitor without the capacity would open a second lane.
    const scheduler = new Scheduler();
    const monitor = new QueueMonitor(scheduler);
    scheduler.onStart(() => {
      for (let i = 0; i < 4; i++) scheduler.submit(nap, 50);
    });
    await runToEnd(scheduler);
    const { lanes, bars } = monitor.timeline();
    expect(lanes).toEqual(["slot 0"]);
    expect(bars.map((bar) => [bar.callId, bar.lane, Math.round(bar.start * 1000)])).toEqual([
      [1, 0, 0],
      [2, 0, 50],
      [3, 0, 100],
      [4, 0, 150],
    ]);
  });

  it("tells failed, cancelled-while-running and cancelled-while-queued calls apart", async () => {
    const scheduler = new Scheduler();
    const monitor = new QueueMonitor(scheduler);
    const cooperative = (ms: number) => nap(ms);
    scheduler.onStart(() => {
      scheduler.submit(napThenFail, 20);
      const running = scheduler.submit(cooperative, 1_000);
      const queued = scheduler.submit(nap, 10);
      setTimeout(() => {
        queued.cancel();
        running.cancel();
      }, 50);
    });
    await runToEnd(scheduler, { onException: "continue", onCancelled: "continue" });
    const ends = monitor.records().filter((r) => r.event !== "submitted" && r.event !== "started");
    expect(ends.map((r) => [r.callId, r.event, r.outcome])).toEqual([
      [1, "done", "exception"],
      [3, "cancelled", "cancelled"],
      [2, "cancelled", "cancelled"],
    ]);
    // The queued call never ran: no bar.
    expect(monitor.timeline().bars.map((bar) => [bar.callId, bar.outcome])).toEqual([
      [1, "exception"],
      [2, "cancelled"],
    ]);
    expect(monitor.counts).toEqual({ queued: 0, running: 0, finished: 1, cancelled: 2 });
  });

  it("computes utilisation as busy worker-seconds over workers × elapsed", async () => {
    const scheduler = twoSlots();
    const monitor = new QueueMonitor(scheduler);
    // Told of more workers than the executor uses: they count as available, idle.
    const generous = new QueueMonitor(scheduler, { workers: 4 });
    expect(monitor.utilisation()).toBe(0);
    scheduler.onStart(() => {
      scheduler.submit(nap, 100);
      scheduler.submit(nap, 300);
      scheduler.submit(nap, 100);
    });
    await runToEnd(scheduler);
    // 500 busy ms over 2 workers × 300 ms.
    expect(monitor.utilisation()).toBeCloseTo(500 / 600, 2);
    expect(generous.timeline().capacity).toBe(4);
    expect(generous.utilisation()).toBeCloseTo(500 / 1200, 2);
  });

  it("picks up the calls already in flight when it is made mid-run", async () => {
    const scheduler = new Scheduler();
    let monitor: QueueMonitor | undefined;
    scheduler.onStart(() => {
      scheduler.submit(nap, 100);
      scheduler.submit(nap, 100);
      setTimeout(() => (monitor = new QueueMonitor(scheduler)), 50);
    });
    await runToEnd(scheduler);
    expect(monitor!.records().map((r) => [r.event, r.callId, Math.round(r.time * 1000)])).toEqual([
      ["submitted", 1, 0],
      ["started", 1, 0],
      ["submitted", 2, 0],
      ["done", 1, 50],
      ["started", 2, 50],
      ["done", 2, 150],
    ]);
  });

  it("stops recording on close() and keeps what it had", async () => {
    const scheduler = new Scheduler();
    const monitor = new QueueMonitor(scheduler);
    scheduler.onStart(() => scheduler.submit(nap, 10));
    await runToEnd(scheduler);
    monitor.close();
    monitor.close();
    await runToEnd(scheduler);
    expect(monitor.records().map((r) => r.callId)).toEqual([1, 1, 1]);
    expect(scheduler.render()).not.toContain("queue-monitor");
  });

  it("rejects unknown options, bad worker counts and things that are not schedulers", () => {
    const scheduler = new Scheduler();
    expect(() => new QueueMonitor(scheduler, { worker: 2 } as never)).toThrow(InvalidArgumentError);
    expect(() => new QueueMonitor(scheduler, { workers: 0 })).toThrow(/options.workers must be an integer >= 1/);
    expect(() => new QueueMonitor({} as never)).toThrow(/scheduler must be a Scheduler/);
  });
});

describe("QueueMonitor output", () => {
  it("writes CSV with a header and quotes fields that need it", async () => {
    const scheduler = new Scheduler();
    const monitor = new QueueMonitor(scheduler);
    const task = scheduler.task(nap, { name: 'fit "big", fast' });
    scheduler.onStart(() => task.submit(10));
    await runToEnd(scheduler);
    const lines = monitor.toCSV().trimEnd().split("\n");
    expect(lines[0]).toBe("event,time,date,callId,task,worker,lane,outcome,queued,running,finished,cancelled");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^submitted,0,[^,]+,1,"fit ""big"", fast",,,,1,0,0,0$/);
    expect(lines[3]).toContain(',"fit ""big"", fast",slot 0,0,result,0,0,1,0');
  });

  it("plots one bar per started call on its lane, with a legend, axes and a title", async () => {
    const scheduler = twoSlots();
    const monitor = new QueueMonitor(scheduler);
    const fit = scheduler.task(nap, { name: "fit <&>" });
    const score = scheduler.task(napThenFail, { name: "score" });
    scheduler.onStart(() => {
      for (let i = 0; i < 5; i++) fit.submit(30 + 10 * i);
      score.submit(20);
    });
    await runToEnd(scheduler, { onException: "continue" });
    const dir = tempDir();
    const file = monitor.plot({ file: join(dir, "plot.svg"), title: "search & co" });
    const svg = readFileSync(file, "utf8");
    expect(svg).toBe(monitor.toSVG({ title: "search & co" }));
    expect(svg).toMatch(/^<\?xml[^>]*\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const started = monitor.records().filter((r) => r.event === "started");
    expect(barsOf(svg).map((bar) => [Number(bar["call-id"]), Number(bar["lane"]), bar["worker"]])).toEqual(
      started.map((r) => [r.callId, r.lane, r.worker]),
    );
    expect(barsOf(svg).find((bar) => bar["task"] === "score")?.["outcome"]).toBe("exception");
    expect(legendKeysOf(svg)).toEqual(["running", "idle", "queued", "task:fit &#60;&#38;&#62;", "task:score", "failed", "cancelled"]);
    expect(svg).toContain('data-axis="x-queue"');
    expect(svg).toContain('data-axis="x-workers"');
    expect(svg).toContain('data-axis="y-calls"');
    expect(svg).toContain("seconds since the run started");
    expect(svg).toContain('<text class="title"');
    expect(svg).toContain(">search &#38; co<title>");
    for (const series of ["running", "idle", "queued"]) {
      const path = new RegExp(`class="area" data-series="${series}" d="M([^"]*)Z"`).exec(svg)?.[1];
      expect(path, series).toBeDefined();
      // A step chart: every edge of every band is horizontal or vertical, never a ramp.
      const points = path!.split("L").map((point) => point.split(",").map(Number) as [number, number]);
      for (let i = 1; i < points.length; i++) {
        const [[x0, y0], [x1, y1]] = [points[i - 1]!, points[i]!];
        expect(x0 === x1 || y0 === y1, `${series} edge ${i}`).toBe(true);
      }
    }
  });

  it("rejects bad plot arguments", () => {
    const monitor = new QueueMonitor(new Scheduler());
    const dir = tempDir();
    // Nothing ran yet: an empty plot still has its axes.
    expect(monitor.toSVG()).toContain('data-axis="x-workers"');
    expect(() => monitor.plot("")).toThrow(/file must be a non-empty path/);
    expect(() => monitor.plot({ file: join(dir, "x.svg"), widht: 900 } as never)).toThrow(InvalidArgumentError);
    expect(() => monitor.toSVG({ width: 10 })).toThrow(/options.width must be an integer from 480/);
  });
});
