/**
 * `ProcessesExecutor`: runs calls on a pool of `child_process.fork` workers, one call per
 * child at a time, over IPC with structured-clone semantics (ipc-codec.ts). It owns its queue and its children, so
 * it knows which call each child runs: cancelling asks the child to abort the call's
 * signal, then sends SIGTERM and SIGKILL after grace periods; a child that dies fails only
 * its own call and is replaced on demand.
 */

import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ExecutorNotStartedError, type Executor, type SubmitOptions } from "@amltk/scheduler";
import { CancelledError, Waiters, type Call, type FunctionRef } from "@amltk/task";
import {
  CrashGuard,
  ShutdownTracker,
  PROTOCOL_VERSION,
  ProtocolVersionError,
  UnsendableValueError,
  WorkerCrashedError,
  WorkerLostError,
  WorkerMemoryLimitError,
  cancelMessage,
  decodeErrorAsync,
  defineMessage,
  indexedCallMessage,
  findUnsendable,
  isProtocolMessage,
  requireFunctionRef,
  withdrawMessage,
  type AnswerMessage,
} from "@amltk/task/worker";
import { resolveProcessesOptions, type ProcessesOptions, type ResolvedProcessesOptions } from "./options.js";
import { fromChannel, toChannel } from "./ipc-codec.js";
import { LineForwarder } from "./output.js";

const CHILD = fileURLToPath(new URL("./child.js", import.meta.url));

/** After this many children in a row die before they are ready, queued calls fail instead. */
const MAX_BOOT_FAILURES = 3;

/** How long a child that was let go may take to exit before it is killed. */
const EXIT_TIMEOUT_MS = 5000;

/** How long after a child's exit its pipes may take to deliver their last bytes. */
const PIPE_DRAIN_MS = 1000;

function streamClosed(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve) => {
    stream.once("close", resolve);
    stream.once("error", () => resolve());
  });
}

/**
 * Executors whose children must die if the parent exits without shutting them down. One
 * `exit` listener serves them all, so many executors do not trip the listener-leak warning.
 */
const onParentExit = new Set<() => void>();
let exitListener = false;

function killOnParentExit(kill: () => void): void {
  if (!exitListener) {
    exitListener = true;
    process.on("exit", () => {
      for (const each of onParentExit) each();
    });
  }
  onParentExit.add(kill);
}

class Job {
  settled = false;
  /** The child the call was sent to (running it, or holding it queued). */
  child: Child | undefined;
  /** Asked back from a child's queue so an idle child can run it. */
  withdrawn = false;
  constructor(
    readonly call: Call<unknown>,
    readonly ref: FunctionRef,
    readonly options: SubmitOptions,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: unknown) => void,
  ) {}
}

/** One child process, the call it runs and the calls queued in it. */
class Child {
  /** The call the child runs. */
  job: Job | undefined;
  /** Calls sent to the child that wait behind `job`, in order. */
  readonly waiting: Job[] = [];
  /** Calls answered, and calls sent that count towards `maxTasksPerWorker`. */
  calls = 0;
  sent = 0;
  ready = false;
  /** Let go (recycled or shut down): takes no more calls. */
  retiring = false;
  exited = false;
  graceTimer: NodeJS.Timeout | undefined;
  /**
   * Messages for the child written at the end of the current tick, as one IPC message when
   * there are several: a write per message is most of what a call costs this process.
   * Every message to the child goes through it, so they arrive in the order they were made.
   */
  outbox: object[] = [];
  /** Which of the executor's numbered functions this child was told about (DefineMessage). */
  readonly defined: boolean[] = [];
  readonly closed: Promise<void>;
  readonly stderr: LineForwarder;
  readonly pid: number;

  constructor(
    readonly process: ChildProcess,
    prefix: boolean,
    onClose: (child: Child, code: number | null, signal: NodeJS.Signals | null) => void,
  ) {
    this.pid = process.pid ?? -1;
    const label = prefix ? `[worker ${this.pid}] ` : "";
    new LineForwarder(process.stdout!, globalThis.process.stdout, label, false);
    this.stderr = new LineForwarder(process.stderr!, globalThis.process.stderr, label, true);
    // Not the child's `close` event: Node does not always emit it once the IPC channel was
    // disconnected. Exit, then the end of both pipes (so the stderr tail is complete).
    const drained = Promise.all([streamClosed(process.stdout!), streamClosed(process.stderr!)]);
    this.closed = new Promise<void>((resolve) => {
      process.once("exit", (code, signal) => {
        this.exited = true;
        clearTimeout(this.graceTimer);
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<void>((r) => (timer = setTimeout(r, PIPE_DRAIN_MS)));
        void Promise.race([drained, late]).then(() => {
          clearTimeout(timer);
          onClose(this, code, signal);
          resolve();
        });
      });
    });
  }

  /** Writes the outbox: one message as itself, several as one array. */
  flush(): void {
    const out = this.outbox;
    if (out.length === 0) return;
    this.outbox = [];
    // A closed channel does not throw here: the error is emitted, and the child's exit puts
    // back the calls it held.
    if (this.process.connected) this.process.send(out.length === 1 ? out[0]! : out);
  }

  kill(signal: NodeJS.Signals): void {
    if (!this.exited) this.process.kill(signal);
  }

  /** Asks the child to exit by closing its channel; kills it if it does not. */
  letGo(): Promise<void> {
    this.retiring = true;
    this.flush();
    if (this.process.connected) this.process.disconnect();
    const timer = setTimeout(() => this.kill("SIGKILL"), EXIT_TIMEOUT_MS);
    return this.closed.finally(() => clearTimeout(timer));
  }
}

/**
 * An `Executor` on child processes. Runs `FunctionRef`s from `fromModule` (a plain function
 * is refused at submit); each child imports a module once.
 *
 * @example
 * ```ts
 * import { Scheduler, fromModule } from "@amltk/scheduler";
 * import { processes } from "@amltk/executor-processes";
 *
 * const work = fromModule<typeof import("./work.js")>(new URL("./work.js", import.meta.url));
 * const scheduler = new Scheduler({ executor: processes({ maxWorkers: 4, memoryLimitMb: 2048 }) });
 * scheduler.onStart(() => scheduler.submit(work.train, { epochs: 3 }));
 * await scheduler.run();
 * ```
 */
export class ProcessesExecutor implements Executor {
  readonly kind = "processes";
  /** The shutdown in progress, if any: a start() waits for it. */
  readonly #stopping = new ShutdownTracker();
  readonly options: ResolvedProcessesOptions;
  #started = false;
  readonly #children = new Set<Child>();
  #idle: Child[] = [];
  #queue: Array<Job | undefined> = [];
  #head = 0;
  #busy = 0;
  /** Calls sent to children and not answered (running or queued in a child). */
  #outstanding = 0;
  #bootFailures = 0;
  #lastBootError: Error | undefined;
  /** Refuses calls of a module that only ever crashed its workers (no respawn storm). */
  readonly #crashGuard = new CrashGuard();
  readonly #drained = new Waiters();
  #completed = 0;
  #crashed = 0;
  #spawned = 0;
  readonly #execArgv: string[];
  /**
   * Functions numbered for define messages: by module, then export name. The last one is
   * remembered, as most runs call one function over and over.
   */
  readonly #fnNumbers = new Map<string, Map<string, number>>();
  #fnCount = 0;
  #lastRef: FunctionRef | undefined;
  #lastNumber = -1;
  /** Children with messages in their outbox, written at the end of the tick. */
  readonly #toFlush: Child[] = [];
  readonly #flush = () => {
    const children = this.#toFlush;
    for (let i = 0; i < children.length; i++) children[i]!.flush();
    children.length = 0;
  };
  /** Kills the children if the parent exits without shutting the executor down. */
  readonly #onParentExit = () => {
    for (const child of this.#children) child.kill("SIGKILL");
  };

  constructor(options: ProcessesOptions = {}) {
    this.options = resolveProcessesOptions(options);
    const execArgv = [...(this.options.execArgv ?? process.execArgv)];
    if (this.options.memoryLimitMb !== undefined) execArgv.push(`--max-old-space-size=${this.options.memoryLimitMb}`);
    this.#execArgv = execArgv;
  }

  /** The process ids of the live children. */
  get pids(): number[] {
    return [...this.#children].map((child) => child.pid);
  }

  /** How many children are alive (including ones exiting). */
  get liveWorkers(): number {
    return this.#children.size;
  }

  async start(): Promise<void> {
    await this.#stopping.settled();
    if (this.#started) return;
    this.#started = true;
    this.#bootFailures = 0;
    killOnParentExit(this.#onParentExit);
  }

  submit<R>(call: Call<R>, options: SubmitOptions): Promise<R> {
    const ref = requireFunctionRef(call.fn, this.kind);
    if (!this.#started) return Promise.reject(new ExecutorNotStartedError(this.kind));
    if (options.cancelRequested) return Promise.reject(new CancelledError("The call was cancelled before it was submitted."));
    return new Promise<R>((resolve, reject) => {
      const job = new Job(call as Call<unknown>, ref, options, resolve as (value: unknown) => void, reject);
      options.onCancel((reason) => this.#cancel(job, reason));
      this.#queue.push(job);
      this.#pump();
    });
  }

  shutdown(options: { wait: boolean }): Promise<void> {
    return this.#stopping.track(this.#shutdown(options));
  }

  async #shutdown({ wait }: { wait: boolean }): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    if (!wait) {
      const reason = new CancelledError("The executor shut down.");
      for (let i = this.#head; i < this.#queue.length; i++) {
        const job = this.#queue[i];
        if (job !== undefined) this.#cancel(job, reason);
      }
      for (const child of this.#children) {
        for (const job of [...child.waiting]) this.#cancel(job, reason);
        if (child.job !== undefined) this.#cancel(child.job, reason);
      }
    }
    while (this.#outstanding > 0 || this.#head < this.#queue.length) await this.#drained.wait();
    await Promise.all([...this.#children].map((child) => child.letGo()));
    this.#idle = [];
    this.#queue = [];
    this.#head = 0;
    onParentExit.delete(this.#onParentExit);
  }

  describe(): Record<string, unknown> {
    return {
      maxWorkers: this.options.maxWorkers,
      workers: this.#children.size,
      busy: this.#busy,
      prefetched: this.#outstanding - this.#busy,
      queued: this.#queue.length - this.#head,
      completed: this.#completed,
      crashed: this.#crashed,
      spawned: this.#spawned,
    };
  }

  #pump(): void {
    while (this.#head < this.#queue.length) {
      const job = this.#queue[this.#head]!;
      if (job.settled) {
        this.#queue[this.#head++] = undefined;
        continue;
      }
      const refused = this.#crashGuard.refusal(job.ref.module);
      if (refused !== undefined) {
        this.#queue[this.#head++] = undefined;
        this.#settle(job, false, refused);
        continue;
      }
      let child = this.#idle.pop();
      if (child === undefined) {
        if (this.#children.size - this.#retiringCount() < this.options.maxWorkers) {
          if (this.#bootFailures >= MAX_BOOT_FAILURES) {
            this.#queue[this.#head++] = undefined;
            this.#settle(job, false, this.#lastBootError);
            continue;
          }
          child = this.#spawn();
          // A refused spawn is retried at once, up to the boot-failure limit, which then
          // fails the call: a queued call is never left without a way forward.
          if (child === undefined) continue;
        } else {
          child = this.#prefetchTarget();
        }
        if (child === undefined) break;
      }
      this.#queue[this.#head++] = undefined;
      this.#send(child, job);
    }
    if (this.#head === this.#queue.length && this.#idle.length > 0) this.#rebalance();
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
    }
    if (this.#outstanding === 0 && this.#head === this.#queue.length) this.#drained.wakeAll();
  }

  #retiringCount(): number {
    let n = 0;
    for (const child of this.#children) if (child.retiring) n++;
    return n;
  }

  /**
   * A busy child that may take one more call into its own queue, so it starts the call the
   * moment it answers the current one instead of waiting for this process to send it.
   */
  #prefetchTarget(): Child | undefined {
    const { prefetch, maxTasksPerWorker } = this.options;
    if (prefetch === 0) return undefined;
    let best: Child | undefined;
    for (const child of this.#children) {
      if (child.retiring || child.job === undefined || child.sent >= maxTasksPerWorker) continue;
      if (child.waiting.length >= prefetch) continue;
      if (best === undefined || child.waiting.length < best.waiting.length) best = child;
    }
    return best;
  }

  /**
   * Children are idle while others hold queued calls: ask those calls back (a child gives
   * back a call that has not started) so the idle children run them.
   */
  #rebalance(): void {
    let idle = this.#idle.length;
    for (const child of this.#children) {
      for (let i = child.waiting.length - 1; i >= 0 && idle > 0; i--) {
        const job = child.waiting[i]!;
        if (job.settled || job.withdrawn) continue;
        job.withdrawn = true;
        idle--;
        this.#post(child, withdrawMessage(job.call.id));
      }
      if (idle === 0) return;
    }
  }

  /** The number of `ref` for define messages, the same for every child of this executor. */
  #fnNumber(ref: FunctionRef): number {
    if (ref === this.#lastRef) return this.#lastNumber;
    let byExport = this.#fnNumbers.get(ref.module);
    if (byExport === undefined) this.#fnNumbers.set(ref.module, (byExport = new Map()));
    let fn = byExport.get(ref.exportName);
    if (fn === undefined) byExport.set(ref.exportName, (fn = this.#fnCount++));
    this.#lastRef = ref;
    this.#lastNumber = fn;
    return fn;
  }

  /** Queues `wire` (a message ready for the channel) for `child`, written at the end of the tick. */
  #post(child: Child, wire: object): void {
    if (child.outbox.length === 0) {
      // nextTick, not a microtask: it runs after the microtasks of this tick, where the
      // scheduler's result callbacks submit the next calls, so they share the write.
      if (this.#toFlush.length === 0) process.nextTick(this.#flush);
      this.#toFlush.push(child);
    }
    child.outbox.push(wire);
  }

  #spawn(): Child | undefined {
    let proc: ChildProcess;
    try {
      proc = fork(CHILD, [], {
        execArgv: this.#execArgv,
        ...(this.options.env === undefined ? {} : { env: this.options.env }),
        // JSON is the fast path; toChannel() packs whatever JSON would not carry exactly.
        serialization: "json",
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      });
    } catch (error) {
      return this.#spawnFailed(error);
    }
    // Attached first: a spawn the system refuses (EMFILE, EAGAIN) emits `error` and never
    // `exit`; with no listener it would crash this process.
    let spawnError: unknown;
    proc.on("error", (error: unknown) => {
      spawnError = error;
      // After a successful spawn only sends on a closed channel land here; the child's exit
      // does the bookkeeping (its queued calls go back, its running call fails).
    });
    if (proc.pid === undefined || proc.stdout === null || proc.stderr === null) {
      // Refused: no process exists. Its error event comes on the next tick, as the cause.
      const failure = this.#spawnFailed(undefined);
      process.nextTick(() => {
        if (spawnError !== undefined && this.#lastBootError?.cause === undefined) {
          this.#lastBootError = new WorkerLostError("A worker process could not be started.", { cause: spawnError });
        }
      });
      return failure;
    }
    this.#spawned++;
    const child = new Child(proc, this.options.prefixOutput, (c, code, signal) => this.#closed(c, code, signal));
    proc.on("message", (message: unknown) => this.#message(child, fromChannel(message)));
    this.#children.add(child);
    return child;
  }

  /** Counts a failed spawn towards the boot-failure limit; the pump retries or fails calls. */
  #spawnFailed(cause: unknown): undefined {
    this.#bootFailures++;
    this.#lastBootError = new WorkerLostError(
      "A worker process could not be started (the system refused to create it: too many open files or processes?).",
      cause === undefined ? undefined : { cause },
    );
    return undefined;
  }

  #send(child: Child, job: Job): void {
    let wire: object;
    try {
      // Throws here, synchronously, for what the channel cannot carry (toChannel packs
      // everything JSON would not carry exactly, and structured clone refuses the rest).
      const fn = this.#fnNumber(job.ref);
      wire = toChannel(indexedCallMessage(job.call, fn));
      if (child.defined[fn] !== true) {
        child.defined[fn] = true;
        this.#post(child, defineMessage(fn, job.ref));
      }
    } catch (error) {
      // Serialization failed before anything was written: the child is intact.
      if (child.job === undefined) this.#idle.push(child);
      const bad = findUnsendable(job.call.args, "args") ?? { path: "args", value: job.call.args };
      this.#settle(job, false, new UnsendableValueError(bad.path, bad.value, "a worker process", { cause: error }));
      return;
    }
    this.#post(child, wire);
    job.child = child;
    child.sent++;
    this.#outstanding++;
    if (child.job === undefined) this.#begin(child, job);
    else child.waiting.push(job);
  }

  /** `job` is the call `child` runs now. */
  #begin(child: Child, job: Job): void {
    child.job = job;
    this.#busy++;
    if (!job.settled) job.options.onRunning();
    // Cancelled while queued in the child, but the child started it before the cancel
    // arrived (it aborts the call's signal then): it gets the grace period of a running call.
    else this.#terminateLater(child, job);
  }

  /** Terminates `child` if it still runs `job` after the grace period: SIGTERM, then SIGKILL. */
  #terminateLater(child: Child, job: Job): void {
    const grace = this.options.cancelGraceMs;
    clearTimeout(child.graceTimer);
    child.graceTimer = setTimeout(() => {
      if (child.job !== job) return;
      child.retiring = true;
      child.kill("SIGTERM");
      child.graceTimer = setTimeout(() => child.kill("SIGKILL"), grace);
    }, grace);
  }

  #message(child: Child, message: unknown): void {
    if (!isProtocolMessage(message)) return;
    if (message.type === "ready") {
      child.ready = true;
      this.#bootFailures = 0;
      return;
    }
    const running = child.job;
    if (running !== undefined && message.id === running.call.id) {
      child.job = undefined;
      child.calls++;
      clearTimeout(child.graceTimer);
      this.#busy--;
      this.#outstanding--;
      this.#completed++;
      this.#crashGuard.succeeded(running.ref.module);
      if (child.retiring) {
        // Being terminated for a cancelled call that returned in the meantime (it handled
        // SIGTERM, say): it is not put back to work. Letting it go closes its channel and
        // escalates to SIGKILL; the calls queued in it go back to the queue when it exits.
        void child.letGo();
      } else {
        // The child started its next queued call as soon as it answered this one.
        const next = child.waiting.shift();
        if (next !== undefined) this.#begin(child, next);
        else if (child.calls >= this.options.maxTasksPerWorker) void child.letGo();
        else this.#idle.push(child);
      }
      this.#deliver(running, message);
    } else {
      // A queued call the child dropped (cancelled) or gave back (withdrawn): it never ran.
      const at = child.waiting.findIndex((job) => job.call.id === message.id);
      if (at === -1) return;
      const [job] = child.waiting.splice(at, 1);
      child.sent--;
      this.#outstanding--;
      if (!job!.settled) this.#requeue(job!);
    }
    this.#pump();
  }

  #deliver(job: Job, message: { type: string; v: number }): void {
    if (job.settled) return;
    if (message.v !== PROTOCOL_VERSION) {
      this.#settle(job, false, new ProtocolVersionError(message.v, PROTOCOL_VERSION));
      return;
    }
    const answer = message as AnswerMessage;
    if (answer.type === "result") this.#settle(job, true, answer.value);
    else {
      job.settled = true;
      decodeErrorAsync(answer.error).then(job.reject, job.reject);
    }
  }

  /** Puts a call that never started back at the head of the queue. */
  #requeue(job: Job): void {
    job.child = undefined;
    job.withdrawn = false;
    if (this.#head > 0) this.#queue[--this.#head] = job;
    else this.#queue.unshift(job);
  }

  #closed(child: Child, code: number | null, signal: NodeJS.Signals | null): void {
    this.#children.delete(child);
    const idleAt = this.#idle.indexOf(child);
    if (idleAt !== -1) this.#idle.splice(idleAt, 1);
    const job = child.job;
    const crash = this.#crashError(child, code, signal);
    if (!child.ready && !child.retiring) {
      this.#bootFailures++;
      this.#lastBootError = crash;
    }
    if (job !== undefined) {
      child.job = undefined;
      this.#busy--;
      this.#outstanding--;
      if (!job.settled) {
        this.#crashed++;
        this.#crashGuard.crashed(job.ref.module, crash);
        this.#settle(job, false, crash);
      }
    }
    // Calls queued in the child never started: they go back to the queue, in order.
    const waiting = child.waiting.splice(0);
    this.#outstanding -= waiting.length;
    for (let i = waiting.length - 1; i >= 0; i--) if (!waiting[i]!.settled) this.#requeue(waiting[i]!);
    this.#pump();
  }

  #crashError(child: Child, code: number | null, signal: NodeJS.Signals | null): WorkerCrashedError {
    const stderr = child.stderr.tail();
    const exit = { exitCode: code, signal, stderr, worker: `process ${child.pid}` };
    const outOfMemory = /heap out of memory|Allocation failed|Reached heap limit/i.test(stderr);
    if (outOfMemory) {
      const limit = this.options.memoryLimitMb === undefined ? undefined : `memoryLimitMb: ${this.options.memoryLimitMb}`;
      return new WorkerMemoryLimitError(exit, limit === undefined ? {} : { limit });
    }
    return new WorkerCrashedError(exit);
  }

  #cancel(job: Job, reason: unknown): void {
    if (job.settled) return;
    this.#settle(job, false, CancelledError.from(reason));
    const child = job.child;
    if (child === undefined) {
      this.#pump();
      return;
    }
    // A call queued in the child is dropped there; a running one has its signal aborted,
    // and a cooperative function returns early.
    this.#post(child, cancelMessage(job.call.id));
    if (child.job === job) this.#terminateLater(child, job);
  }

  #settle(job: Job, ok: boolean, value: unknown): void {
    if (job.settled) return;
    job.settled = true;
    if (ok) job.resolve(value);
    else job.reject(value);
  }
}

/**
 * A `ProcessesExecutor` with `options`.
 *
 * @example
 * ```ts
 * const scheduler = new Scheduler({ executor: processes({ maxWorkers: 4, maxTasksPerWorker: 50 }) });
 * ```
 */
export function processes(options?: ProcessesOptions): ProcessesExecutor {
  return new ProcessesExecutor(options);
}
