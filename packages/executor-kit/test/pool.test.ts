/**
 * `WorkerPool` through the in-memory transport and the real `Scheduler`: dispatch, Comm,
 * requeue of calls a lost worker never started, withdraw to an idle worker, unsendable
 * arguments, the boot-failure limit and a worker of another protocol version.
 */
import { describe, expect, it } from "vitest";
import { Scheduler, fromModule, type Future } from "@amltk/scheduler";
import { ProtocolVersionError, UnsendableValueError, WorkerLostError } from "@amltk/task/worker";
import { Deque } from "@amltk/executor-kit";
import { MemoryConnection, MemoryExecutor } from "./memory-transport.js";

const work = fromModule<typeof import("./fixtures/work.mjs")>(new URL("./fixtures/work.mjs", import.meta.url));

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function settled<T>(future: Future<T> | PromiseLike<T>): Promise<Outcome> {
  return Promise.resolve(future).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

describe("WorkerPool", () => {
  it("runs calls on its workers and carries Comm both ways", async () => {
    const executor = new MemoryExecutor();
    const scheduler = new Scheduler({ executor });
    const task = scheduler.task(work.ask);
    task.onRequest((_future, question, respond) => respond(`answer to ${String(question)}`));
    const results: unknown[] = [];
    scheduler.onStart(() => {
      scheduler.submit(work.add, 1, 2);
      task.submit("life");
    });
    scheduler.onFutureResult((_f, value) => results.push(value));
    await scheduler.run({ timeout: 10_000 });
    expect(results.sort()).toEqual([3, "answer to life"]);
    expect(executor.describe()).toMatchObject({ completed: 2, crashed: 0, queued: 0 });
  });

  it("marks a call running only when its worker says it started, naming the worker", async () => {
    const executor = new MemoryExecutor({ maxWorkers: 1 });
    const scheduler = new Scheduler({ executor });
    const task = scheduler.task(work.hold);
    let atSubmit = "";
    let atStart = "";
    let worker: string | undefined;
    scheduler.onStart(() => {
      const future = task.submit("a")!;
      atSubmit = future.state;
    });
    task.onMessage((future) => {
      atStart = future.state;
      worker = future.worker;
      future.cancel();
    });
    await scheduler.run({ timeout: 10_000, onCancelled: "continue" });
    expect([atSubmit, atStart]).toEqual(["pending", "running"]);
    expect(worker).toBe(executor.connections[0]!.label);
  });

  it("fails the running call of a lost worker with WorkerLostError; the run goes on", async () => {
    const executor = new MemoryExecutor({ maxWorkers: 1, prefetch: 0 });
    const scheduler = new Scheduler({ executor });
    const task = scheduler.task(work.hold);
    const out: Array<Promise<Outcome>> = [];
    scheduler.onStart(() => {
      out.push(settled(task.submit("first")!));
      out.push(settled(scheduler.submit(work.add, 2, 2)));
    });
    task.onMessage(() => executor.connections[0]!.kill());
    await scheduler.run({ timeout: 10_000, onException: "continue" });
    const [first, second] = await Promise.all(out);
    expect(first).toMatchObject({ ok: false });
    expect((first as { error: unknown }).error).toBeInstanceOf(WorkerLostError);
    expect(second).toEqual({ ok: true, value: 4 });
    expect(executor.connections).toHaveLength(2);
  });

  it("puts the calls a lost worker held but never started back in the queue", async () => {
    let spawned = 0;
    const executor = new MemoryExecutor({
      maxWorkers: 1,
      spawn: () => {
        if (spawned++ > 0) return new MemoryConnection();
        // The first worker dies before it says hello, holding the call sent to it.
        const doomed = new MemoryConnection(() => null);
        setImmediate(() => doomed.kill());
        return doomed;
      },
    });
    const scheduler = new Scheduler({ executor });
    const out: Array<Promise<Outcome>> = [];
    scheduler.onStart(() => {
      out.push(settled(scheduler.submit(work.add, 1, 1)));
      out.push(settled(scheduler.submit(work.add, 2, 2)));
    });
    await scheduler.run({ timeout: 10_000 });
    expect(await Promise.all(out)).toEqual([
      { ok: true, value: 2 },
      { ok: true, value: 4 },
    ]);
    expect(executor.connections).toHaveLength(2);
    expect(executor.describe()).toMatchObject({ crashed: 0 });
  });

  it("fails only the call whose argument cannot cross, naming the path; the worker stays", async () => {
    const executor = new MemoryExecutor({ maxWorkers: 1 });
    const scheduler = new Scheduler({ executor });
    const out: Array<Promise<Outcome>> = [];
    scheduler.onStart(() => {
      out.push(settled(scheduler.submit(work.add, { fn: () => 1 } as never, 1)));
      out.push(settled(scheduler.submit(work.add, 1, 1)));
    });
    await scheduler.run({ timeout: 10_000, onException: "continue" });
    const [bad, good] = await Promise.all(out);
    expect((bad as { error: UnsendableValueError }).error).toBeInstanceOf(UnsendableValueError);
    expect((bad as { error: UnsendableValueError }).error.path).toBe("args[0].fn");
    expect(good).toEqual({ ok: true, value: 2 });
    expect(executor.describe()).toMatchObject({ crashed: 0, spawned: 1 });
  });

  it("gives up starting workers after three boot failures in a row, failing the queued calls", async () => {
    let attempts = 0;
    const executor = new MemoryExecutor({
      spawn: () => {
        attempts++;
        throw new Error("no more memory workers");
      },
    });
    const scheduler = new Scheduler({ executor });
    const out: Array<Promise<Outcome>> = [];
    scheduler.onStart(() => {
      for (let i = 0; i < 5; i++) out.push(settled(scheduler.submit(work.add, i, 1)));
    });
    await scheduler.run({ timeout: 10_000, onException: "continue" });
    const results = await Promise.all(out);
    expect(results.every((r) => !r.ok && (r as { error: Error }).error.message.includes("no more memory workers"))).toBe(true);
    expect(attempts).toBe(3);
  });

  it("refuses a worker of another protocol version once, failing its calls with ProtocolVersionError", async () => {
    const executor = new MemoryExecutor({ maxWorkers: 1, spawn: () => new MemoryConnection((hello) => ({ ...hello, v: 99 })) });
    const scheduler = new Scheduler({ executor });
    const out: Array<Promise<Outcome>> = [];
    scheduler.onStart(() => {
      for (let i = 0; i < 3; i++) out.push(settled(scheduler.submit(work.add, i, 1)));
    });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    await scheduler.run({ timeout: 10_000, onException: "continue" });
    process.off("warning", onWarning);
    const results = await Promise.all(out);
    expect(results.every((r) => !r.ok && (r as { error: unknown }).error instanceof ProtocolVersionError)).toBe(true);
    expect(executor.connections).toHaveLength(1);
    expect(warnings.some((w) => w.includes("protocol version 99"))).toBe(true);
  });
});

describe("Deque", () => {
  it("keeps its memory bounded by what waits, however many items passed through", () => {
    const queue = new Deque<number>();
    for (let i = 0; i < 100; i++) queue.push(i);
    let order = true;
    for (let i = 100; i < 200_000; i++) {
      queue.push(i);
      order &&= queue.shift() === i - 100;
    }
    expect(order).toBe(true);
    expect(queue.length).toBe(100);
    expect(queue.allocated).toBeLessThan(4096);
    queue.unshift(-1);
    expect(queue.shift()).toBe(-1);
  });
});
