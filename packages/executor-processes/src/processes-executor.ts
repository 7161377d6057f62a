/**
 * `ProcessesExecutor`: runs calls on a pool of `child_process.fork` workers, one call per
 * child at a time. It is a transport over `@amltk/executor-kit`'s `WorkerPool`: this file
 * says how a child is started (child-connection.ts) and that children die with the parent;
 * the pool does the queueing, dispatch, cancel grace, requeue and Comm.
 */

import { fileURLToPath } from "node:url";
import { WorkerPool } from "@amltk/executor-kit";
import type { Executor, SubmitOptions } from "@amltk/scheduler";
import type { Call } from "@amltk/task";
import { ChildConnection } from "./child-connection.js";
import { resolveProcessesOptions, type ProcessesOptions, type ResolvedProcessesOptions } from "./options.js";

const CHILD = fileURLToPath(new URL("./child.js", import.meta.url));

/**
 * Children that must die if the parent exits without shutting them down. One `exit`
 * listener serves every executor, so many executors do not trip the listener-leak warning.
 */
const liveChildren = new Set<ChildConnection>();
let exitListener = false;

function killOnParentExit(child: ChildConnection): void {
  if (!exitListener) {
    exitListener = true;
    process.on("exit", () => {
      for (const each of liveChildren) each.kill();
    });
  }
  liveChildren.add(child);
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
  readonly options: ResolvedProcessesOptions;
  readonly #pool: WorkerPool;
  readonly #children = new Set<ChildConnection>();

  constructor(options: ProcessesOptions = {}) {
    this.options = resolveProcessesOptions(options);
    const execArgv = [...(this.options.execArgv ?? process.execArgv)];
    if (this.options.memoryLimitMb !== undefined) execArgv.push(`--max-old-space-size=${this.options.memoryLimitMb}`);
    const childOptions = {
      entry: CHILD,
      execArgv,
      env: this.options.env,
      prefixOutput: this.options.prefixOutput,
      memoryLimitMb: this.options.memoryLimitMb,
    };
    this.#pool = new WorkerPool({
      kind: this.kind,
      maxWorkers: this.options.maxWorkers,
      prefetch: this.options.prefetch,
      maxTasksPerWorker: this.options.maxTasksPerWorker,
      cancelGraceMs: this.options.cancelGraceMs,
      peer: "a worker process",
      spawner: {
        spawn: () => {
          const child = new ChildConnection(childOptions);
          this.#children.add(child);
          killOnParentExit(child);
          child.onExit(() => {
            this.#children.delete(child);
            liveChildren.delete(child);
          });
          return child;
        },
      },
    });
  }

  /** The process ids of the live children. */
  get pids(): number[] {
    return [...this.#children].map((child) => child.pid);
  }

  /** How many children are alive (including ones exiting). */
  get liveWorkers(): number {
    return this.#children.size;
  }

  start(): Promise<void> {
    return this.#pool.start();
  }

  submit<R>(call: Call<R>, options: SubmitOptions): Promise<R> {
    return this.#pool.submit(call, options);
  }

  shutdown(options: { wait: boolean }): Promise<void> {
    return this.#pool.shutdown(options);
  }

  describe(): Record<string, unknown> {
    return this.#pool.describe();
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
