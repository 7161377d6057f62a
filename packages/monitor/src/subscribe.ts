/**
 * Subscribing a tool (monitor, trace) to a scheduler: hidden handlers, so the tool does not
 * clutter `scheduler.render()`, the start hook, and one function that undoes it all.
 */

import { InvalidArgumentError, taskHost, type Future, type Scheduler, type SchedulerEvents } from "@amltk/scheduler";

/** What a tool listens to: any scheduler event by name, and call starts. */
export type Listeners = {
  [K in keyof SchedulerEvents]?: (...args: SchedulerEvents[K]) => void;
} & { running?: (future: Future<any>) => void };

/**
 * Subscribes `listeners` to `scheduler` under the handler name `name`. Returns the function
 * that unsubscribes them all.
 *
 * @throws InvalidArgumentError when `scheduler` is not a Scheduler whose host reports starts.
 */
export function subscribe(argument: string, scheduler: Scheduler, name: string, listeners: Listeners): () => void {
  const host = (scheduler as Partial<Scheduler> | undefined)?.[taskHost];
  if (typeof scheduler?.on !== "function" || host === undefined) {
    throw new InvalidArgumentError(argument, "a Scheduler from @amltk/scheduler", scheduler);
  }
  if (typeof host.observeRunning !== "function") {
    throw new InvalidArgumentError(argument, "a Scheduler that reports call starts (@amltk/scheduler with observeRunning)", scheduler);
  }
  const offs: Array<() => unknown> = [];
  for (const [event, listener] of Object.entries(listeners)) {
    if (event === "running" || listener === undefined) continue;
    offs.push(scheduler.on(event as keyof SchedulerEvents, listener as (...args: any[]) => void, { name, hidden: true }));
  }
  if (listeners.running !== undefined) offs.push(host.observeRunning(listeners.running));
  let done = false;
  return () => {
    if (done) return;
    done = true;
    for (const off of offs) off();
  };
}
