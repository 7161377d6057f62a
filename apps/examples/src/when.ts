/**
 * Example: the `when` callback option. Both callbacks listen to `start`, but each runs only
 * when its condition holds, so exactly one greeting is printed, in the chosen language.
 */

import type { ExitState, Scheduler } from "@amltk/scheduler";
import { isMain, makeScheduler, type Log } from "./setup.js";

export type Locale = "English" | "German";

export interface WhenOutcome {
  locale: Locale;
  exit: ExitState;
  scheduler: Scheduler;
}

/** Picks the locale at random, like the guide; pass one to choose. */
export async function main(
  log: Log = console.log,
  locale: Locale = Math.random() < 0.5 ? "English" : "German",
): Promise<WhenOutcome> {
  const scheduler = makeScheduler({ workers: 1 });

  scheduler.onStart(
    function printHello() {
      log("hello");
    },
    { when: () => locale === "English" },
  );

  scheduler.onStart(
    function printGutenTag() {
      log("guten tag");
    },
    { when: () => locale === "German" },
  );

  const exit = await scheduler.run();
  return { locale, exit, scheduler };
}

if (isMain(import.meta.url)) await main();
