/**
 * Text renderings of a scheduler: a box with the executor and the queue, then a tree of the
 * scheduler's events (count and visible handlers) and of each task with its plugins.
 */

import type { Emitter, HandlerInfo } from "@amltk/events";
import { callableName, type Future } from "@amltk/task";
import type { Executor } from "./executor.js";

/** What the renderer reads of a scheduler. */
export interface RenderableScheduler extends Emitter<any> {
  readonly executor: Executor;
  readonly phase: string;
  readonly queue: readonly Future<any>[];
  readonly tasks: readonly (Emitter<any> & {
    readonly name: string;
    readonly nRunning: number;
    readonly plugins: readonly { readonly name: string; describe?(): Record<string, string> }[];
  })[];
}

/** How many in-flight calls the queue section lists before eliding the rest. */
const QUEUE_ROWS = 5;

/**
 * A short preview of a value for renderings: primitives as written, containers elided.
 *
 * @example
 * ```ts
 * preview("a"); // '"a"'
 * preview([1, 2]); // "[2 items]"
 * ```
 */
export function preview(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value === null || value === undefined) return String(value);
  if (typeof value === "function") return `fn ${value.name || "anonymous"}`;
  if (Array.isArray(value)) return `[${value.length} items]`;
  if (typeof value === "object") return `{${Object.keys(value).slice(0, 3).join(", ")}${Object.keys(value).length > 3 ? ", …" : ""}}`;
  return typeof value;
}

/** `name(arg1, arg2)` for a call, with previewed arguments. */
export function callLabel(future: Future<any>): string {
  return `${callableName(future.fn)}(${future.args.map(preview).join(", ")})`;
}

function box(title: string, lines: string[]): string[] {
  const width = Math.max(title.length + 4, ...lines.map((l) => l.length + 2), 40);
  const top = `╭─ ${title} ${"─".repeat(width - title.length - 3)}╮`;
  const body = lines.map((l) => `│ ${l.padEnd(width - 1)}│`);
  return [top, ...body, `╰${"─".repeat(width)}╯`];
}

function formatDescription(record: Record<string, unknown>): string {
  const entries = Object.entries(record);
  if (entries.length === 0) return "";
  return entries.map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" ");
}

/**
 * How a handler is shown: its name, or for an unnamed callback (an arrow function) where it
 * was registered (`file:line`), which says more than "anonymous".
 *
 * @example
 * ```ts
 * scheduler.listeners("start").map(handlerLabel); // ["launch", "main.ts:12"]
 * ```
 */
export function handlerLabel(handler: HandlerInfo): string {
  return handler.location ?? handler.name;
}

/** The event tree of an emitter: `@name count`, then its visible handlers with call counts. */
export function renderEvents(emitter: Emitter<any>, indent = ""): string[] {
  const lines: string[] = [];
  const events = emitter.events;
  events.forEach((event, i) => {
    const lastEvent = i === events.length - 1;
    const count = emitter.count(event);
    lines.push(`${indent}${lastEvent ? "└─" : "├─"} @${event.name}${count > 0 ? ` ${count}` : ""}`);
    const visible = emitter.listeners(event).filter((h: HandlerInfo) => !h.hidden);
    visible.forEach((handler, j) => {
      const branch = j === visible.length - 1 ? "└─" : "├─";
      const calls = handler.calls > 0 ? ` (${handler.calls})` : "";
      const limit = Number.isFinite(handler.maxCalls) ? ` max ${handler.maxCalls}` : "";
      lines.push(`${indent}${lastEvent ? "   " : "│  "}${branch} ${handlerLabel(handler)}${calls}${limit}`);
    });
  });
  return lines;
}

/**
 * Renders a scheduler as text.
 *
 * @example
 * ```ts
 * console.log(renderScheduler(scheduler));
 * ```
 */
export function renderScheduler(scheduler: RenderableScheduler): string {
  const queue = scheduler.queue;
  const shown = queue.slice(-QUEUE_ROWS);
  const queueLines = shown.map((f) => `  ${f.state.padEnd(8)}${callLabel(f)}`);
  if (queue.length > shown.length) queueLines.unshift(`  … ${queue.length - shown.length} more`);
  const title = scheduler.phase === "idle" ? "Scheduler" : `Scheduler (${scheduler.phase})`;
  const lines = box(title, [
    `Executor  ${scheduler.executor.kind} ${formatDescription(scheduler.executor.describe())}`.trimEnd(),
    `Queue (${queue.length})`,
    ...queueLines,
  ]);
  lines.push("Events", ...renderEvents(scheduler));
  for (const task of scheduler.tasks) {
    lines.push(`Task ${task.name}${task.nRunning > 0 ? ` (${task.nRunning} running)` : ""}`);
    const pluginLines: string[] = [];
    for (const plugin of task.plugins) {
      pluginLines.push(`├─ Plugin ${plugin.name}`);
      const rows = Object.entries(plugin.describe?.() ?? {});
      const keyWidth = Math.max(0, ...rows.map(([k]) => k.length));
      rows.forEach(([key, value], i) => {
        pluginLines.push(`│  ${i === rows.length - 1 ? "└─" : "├─"} ${key.padEnd(keyWidth)} ${value}`);
      });
    }
    lines.push(...pluginLines, ...renderEvents(task));
  }
  return lines.join("\n");
}
