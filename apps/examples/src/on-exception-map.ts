/**
 * Example: an exception policy per error class. `onException` takes an ordered Map from
 * error classes to actions; the first class the error is an instance of decides, and an error
 * matching none is raised. Here a ValueError is shrugged off while a TypeError ends the run.
 */

import type { ErrorClass, ExceptionAction, ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, work, type Log } from "./setup.js";
// The class itself, not a reference: the policy needs it to test `instanceof`.
import { ValueError, type FailureKind } from "./work.js";

export interface MapOutcome {
  /** Each failure the run saw, as `Name: message`. */
  seen: string[];
  exit: ExitState;
  scheduler: Scheduler;
}

/** Submits one failing call per entry of `kinds`, in order, under one Map policy. */
export async function main(
  log: Log = console.log,
  kinds: readonly FailureKind[] = ["ValueError", "TypeError"],
): Promise<MapOutcome> {
  const scheduler = makeScheduler({ workers: 1 });
  const seen: string[] = [];

  scheduler.onStart(function submitFailures() {
    for (const kind of kinds) scheduler.submit(work.fail, `a ${kind} from a call`, kind);
  });

  scheduler.onFutureException(function report(_future, error) {
    seen.push(String(error));
    log(`Got exception ${String(error)}`);
  });

  const onException = new Map<ErrorClass, ExceptionAction>([
    [ValueError, "continue"],
    [TypeError, "end"],
  ]);
  const exit = await scheduler.run({ onException });
  log(`run ended: ${exit.code}${exit.error === undefined ? "" : ` (${String(exit.error)})`}`);
  return { seen, exit, scheduler };
}

if (isMain(import.meta.url)) await main();
