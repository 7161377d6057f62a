/**
 * Type tests: the Limiter's events seen through `Limiter.events(task)` carry the task's own
 * argument types, and its static events hold no `any`.
 */
import { describe, expectTypeOf, it } from "vitest";
import { Scheduler, type Event, type Task } from "@amltk/scheduler";
import { Limiter, type LimiterEvents, type SomeTask } from "../src/index.js";

const scheduler = new Scheduler();
const train = (epochs: number, name: string) => ({ epochs, name });
type TrainTask = Task<[epochs: number, name: string], { epochs: number; name: string }>;

describe("Limiter.events(task)", () => {
  const task = scheduler.task(train, { plugins: new Limiter({ maxConcurrent: 1 }) });
  const events = Limiter.events(task);

  it("is typed from the task", () => {
    expectTypeOf(events).toEqualTypeOf<LimiterEvents<[epochs: number, name: string], { epochs: number; name: string }>>();
    events.onConcurrentLimitReached((limited, epochs, name) => {
      expectTypeOf(limited).toEqualTypeOf<TrainTask>();
      expectTypeOf(epochs).toEqualTypeOf<number>();
      expectTypeOf(name).toEqualTypeOf<string>();
    });
    events.onCallLimitReached((_limited, ...args) => expectTypeOf(args).toEqualTypeOf<[epochs: number, name: string]>());
    events.onDisabledDueToRunningTask((other, limited, epochs) => {
      expectTypeOf(other).toEqualTypeOf<SomeTask>();
      expectTypeOf(limited).toEqualTypeOf<TrainTask>();
      expectTypeOf(epochs).toEqualTypeOf<number>();
    });
  });

  it("rejects callbacks that name the arguments wrongly", () => {
    // @ts-expect-error epochs is a number
    events.onConcurrentLimitReached((_limited, epochs: string) => epochs);
    // @ts-expect-error the task takes two arguments
    events.onCallLimitReached((_limited, _epochs, _name, extra: boolean) => extra);
    // @ts-expect-error emitted with the task's arguments
    events.onCallLimitReached.emit(task, "ten", "a");
  });
});

describe("the static events", () => {
  it("fit every task, with unknown arguments and no any", () => {
    expectTypeOf(Limiter.CALL_LIMIT_REACHED).toEqualTypeOf<Event<[task: SomeTask, ...args: unknown[]]>>();
    expectTypeOf(Limiter.DISABLED_DUE_TO_RUNNING_TASK).toEqualTypeOf<
      Event<[otherTask: SomeTask, task: SomeTask, ...args: unknown[]]>
    >();
    const task = scheduler.task(train, { plugins: new Limiter({ maxCalls: 1 }) });
    task.on(Limiter.CALL_LIMIT_REACHED, (_limited, epochs) => expectTypeOf(epochs).toEqualTypeOf<unknown>());
    // @ts-expect-error the static event does not know this task's argument types
    task.on(Limiter.CALL_LIMIT_REACHED, (_limited, epochs: number) => epochs);
  });

  it("accepts typed tasks in notWhileRunning", () => {
    const other = scheduler.task(train);
    new Limiter({ notWhileRunning: other });
    new Limiter({ notWhileRunning: [other, scheduler.task((s: string) => s.length)] });
  });
});
