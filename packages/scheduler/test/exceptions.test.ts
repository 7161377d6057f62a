import { describe, expect, it } from "vitest";
import { ExitCode, Scheduler, type ErrorClass, type ExceptionAction } from "../src/index.js";
import { identity, sleep } from "./helpers.js";

class TrialError extends Error {
  override name = "TrialError";
}

const throwing = (error: Error) => {
  throw error;
};

function policy(entries: [ErrorClass, ExceptionAction][]) {
  return new Map<ErrorClass, ExceptionAction>(entries);
}

describe("onException for calls (DESIGN 4.4)", () => {
  it("a Map decides by the first instanceof match, in order", async () => {
    const scheduler = new Scheduler();
    const errors = [new TrialError("trial"), new RangeError("range")];
    scheduler.onStart(() => errors.forEach((e) => scheduler.submit(throwing, e)));
    const state = await scheduler.run({
      onException: policy([
        [TrialError, "continue"],
        [Error, "end"],
        [RangeError, "raise"],
      ]),
    });
    expect(state).toEqual({ code: ExitCode.EXCEPTION, error: errors[1] });
    expect(scheduler.onFutureException.count).toBe(2);
  });

  it("raises an error that matches no key of the Map", async () => {
    const scheduler = new Scheduler();
    const error = new TypeError("unmatched");
    scheduler.onStart(() => scheduler.submit(throwing, error));
    await expect(scheduler.run({ onException: policy([[TrialError, "continue"]]) })).rejects.toBe(error);
  });

  it("continue keeps the run going after each failure", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(throwing);
    let failures = 0;
    scheduler.onStart(() => task.submit(new TrialError("1")));
    task.onException(() => {
      failures++;
      if (failures < 3) task.submit(new TrialError(String(failures + 1)));
    });
    expect(await scheduler.run({ onException: "continue" })).toEqual({ code: ExitCode.EXHAUSTED });
    expect(failures).toBe(3);
  });
});

describe("errors thrown by callbacks (DESIGN 4.4)", () => {
  it.each(["start", "future-result", "empty", "finishing"] as const)(
    "an error thrown in a %s callback rejects run() by default",
    async (event) => {
      const scheduler = new Scheduler();
      const error = new Error(`from ${event}`);
      scheduler.onStart(() => scheduler.submit(identity, 1));
      scheduler.on(event, () => {
        throw error;
      });
      await expect(scheduler.run()).rejects.toBe(error);
      expect(scheduler.onFinished.count).toBe(1);
    },
  );

  it("the other handlers of the event still run", async () => {
    const scheduler = new Scheduler();
    const calls: string[] = [];
    scheduler.onStart(() => {
      throw new Error("first");
    });
    scheduler.onStart(() => calls.push("second"));
    await expect(scheduler.run()).rejects.toThrow("first");
    expect(calls).toEqual(["second"]);
  });

  it("follows a Map policy like call errors: a match ends, no match raises", async () => {
    const scheduler = new Scheduler();
    const task = scheduler.task(identity<number>);
    const trial = new TrialError("callback trial");
    scheduler.onStart(() => task.submit(1));
    task.onResult(() => {
      throw trial;
    });
    const map = policy([[TrialError, "end"]]);
    expect(await scheduler.run({ onException: map })).toEqual({ code: ExitCode.EXCEPTION, error: trial });
    const unmatched = new SyntaxError("no key");
    scheduler.onFinishing(() => {
      throw unmatched;
    });
    // The result callback's TrialError ends the run; the finishing callback's SyntaxError
    // matches no key, so it raises.
    await expect(scheduler.run({ onException: map })).rejects.toBe(unmatched);
    await expect(scheduler.run({ onException: policy([[TrialError, "continue"]]) })).rejects.toBe(unmatched);
  });

  it("an error thrown by an empty callback is not swallowed (AMLTK swallows it)", async () => {
    const scheduler = new Scheduler();
    scheduler.onEmpty(() => {
      throw new Error("from empty");
    });
    expect(await scheduler.run({ onException: "end" })).toMatchObject({ code: ExitCode.EXCEPTION });
    await expect(scheduler.run()).rejects.toThrow("from empty");
  });

  it("continue lets a run go on past callback errors", async () => {
    const scheduler = new Scheduler();
    let results = 0;
    scheduler.onStart(() => scheduler.submit(identity, 1));
    scheduler.onFutureResult(() => {
      results++;
      if (results < 3) scheduler.submit(identity, 1);
      throw new Error("ignored on purpose");
    });
    expect(await scheduler.run({ onException: "continue" })).toEqual({ code: ExitCode.EXHAUSTED });
    expect(results).toBe(3);
  });

  it("errors raised while the run is ending follow the policy; raise rejects with the first", async () => {
    const scheduler = new Scheduler();
    const first = new Error("first while ending");
    scheduler.onFinishing(() => {
      throw first;
    });
    scheduler.onFinished(() => {
      throw new Error("second while ending");
    });
    await expect(scheduler.run()).rejects.toBe(first);
  });

  it("the exit code is decided before errors raised while ending", async () => {
    const scheduler = new Scheduler();
    scheduler.onFinishing(() => {
      throw new Error("late");
    });
    expect(await scheduler.run({ onException: "end" })).toEqual({ code: ExitCode.EXHAUSTED });
  });

  it("a callback that submits while the run ends gets SchedulerNotRunningError through the policy", async () => {
    const scheduler = new Scheduler();
    scheduler.onFinished(() => scheduler.submit(identity, 1));
    await expect(scheduler.run()).rejects.toThrow(/Cannot submit a call/);
  });
});

describe("async callbacks (DESIGN 4.4)", () => {
  it("counts an async callback as pending work and awaits it before finished", async () => {
    const scheduler = new Scheduler();
    const trace: string[] = [];
    scheduler.onStart(async () => {
      await sleep(5);
      trace.push("start callback resumed");
      scheduler.submit(identity, 1);
    });
    scheduler.onFutureResult(() => trace.push("result"));
    scheduler.onEmpty(() => trace.push("empty"));
    scheduler.onFinished(() => trace.push("finished"));
    expect(await scheduler.run()).toEqual({ code: ExitCode.EXHAUSTED });
    expect(trace).toEqual(["start callback resumed", "result", "empty", "finished"]);
  });

  it("handles a rejected async callback exactly like a thrown error", async () => {
    const scheduler = new Scheduler();
    const error = new TrialError("async failure");
    scheduler.onStart(async () => {
      await sleep(1);
      throw error;
    });
    await expect(scheduler.run()).rejects.toBe(error);
    expect(await scheduler.run({ onException: policy([[TrialError, "end"]]) })).toEqual({
      code: ExitCode.EXCEPTION,
      error,
    });
  });
});
