/**
 * The live view's frame: a compact rendering of a running scheduler made to fit a terminal of
 * a given size. Every line is cut to the width (with an ellipsis, never wrapped) and lines are
 * kept by priority so the frame is at most `rows - 1` lines: the header, the queue counts and
 * one line per task always; then running calls, event counts, handlers, zero-count events.
 */

import type { Emitter, HandlerInfo } from "@amltk/events";
import type { Future } from "@amltk/task";
import { style as makeStyle, type Style } from "./ansi-style.js";
import { callLabel, handlerLabel, type RenderableScheduler } from "./render.js";
import { displayWidth, truncate } from "./terminal-text.js";

/** What the scheduler tells the frame about timing; not part of the public API. */
export const liveInfo = Symbol("amltk.liveInfo");

/** Timing the frame shows: since when the run and each running call have been going. */
export interface LiveInfo {
  /** `performance.now()` when the run started, or undefined between runs. */
  readonly runStartedAt: number | undefined;
  /** `performance.now()` when `future` started running, or undefined. */
  runningSince(future: Future<any>): number | undefined;
}

/** A scheduler the frame can draw. */
export type FrameSource = RenderableScheduler & { [liveInfo]?(): LiveInfo };

/** The terminal the frame is drawn for. */
export interface FrameOptions {
  /** Terminal width; no line is wider. */
  columns: number;
  /** Terminal height; the frame has at most `rows - 1` lines (the cursor needs one). */
  rows: number;
  /** Use ANSI colours. */
  color: boolean;
  /** `performance.now()` to measure elapsed times against. @default performance.now() */
  now?: number;
}

interface Line {
  text: string;
  /** 0 is always shown; higher numbers are dropped first when rows run short. */
  priority: number;
}

/**
 * `1.2s`, `12s`, `3m05s`: short durations for narrow columns.
 *
 * @example
 * ```ts
 * formatDuration(1234); // "1.2s"
 * formatDuration(185_000); // "3m05s"
 * ```
 */
export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.floor(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/**
 * Packs `tokens` into lines of at most `width` columns, joined by `sep`: the first line starts
 * with `first`, the others with `indent`.
 */
function pack(tokens: string[], width: number, first: string, indent = "    ", sep = " · "): string[] {
  const lines: string[] = [];
  let current = "";
  for (const token of tokens) {
    const next = current === "" ? `${first}${token}` : `${current}${sep}${token}`;
    if (current !== "" && displayWidth(next) > width) {
      lines.push(current);
      current = `${indent}${token}`;
    } else {
      current = next;
    }
  }
  if (current !== "") lines.push(current);
  return lines;
}

function formatValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
}

/** Counts and handlers of an emitter's events; zero-count events collapse into one line. */
function eventLines(emitter: Emitter<any>, title: string, s: Style, width: number, base: number): Line[] {
  const fired: string[] = [];
  const quiet: string[] = [];
  const handlerLines: Line[] = [];
  for (const event of emitter.events) {
    const count = emitter.count(event);
    if (count === 0) quiet.push(event.name);
    else fired.push(`${event.name} ${s.bold(String(count))}`);
    const visible = emitter.listeners(event).filter((h: HandlerInfo) => !h.hidden);
    if (visible.length > 0) {
      const names = visible.map((h) => `${handlerLabel(h)}${h.calls > 0 ? ` ×${h.calls}` : ""}`);
      handlerLines.push({ text: `    ${s.cyan(event.name)}: ${names.join(", ")}`, priority: base + 2 });
    }
  }
  const packed = pack(fired.length > 0 ? fired : ["none yet"], width, `  ${title} `);
  const lines: Line[] = packed.map((text, i) => ({ text, priority: base + (i === 0 ? 0 : 1) }));
  lines.push(...handlerLines);
  if (quiet.length > 0) lines.push({ text: s.dim(`    0 × ${quiet.join(", ")}`), priority: base + 3 });
  return lines;
}

function phaseLabel(phase: string, s: Style): string {
  switch (phase) {
    case "running":
      return s.green("● running");
    case "starting":
      return s.yellow("◌ starting");
    case "ending":
      return s.yellow("◍ ending");
    default:
      return s.dim("○ idle");
  }
}

/**
 * The frame's lines for `scheduler` on a `columns × rows` terminal.
 *
 * @example
 * ```ts
 * const lines = renderFrame(scheduler, { columns: 80, rows: 24, color: false });
 * lines.length <= 23; // true
 * ```
 */
export function renderFrame(scheduler: FrameSource, options: FrameOptions): string[] {
  const width = Math.max(1, Math.floor(options.columns));
  const budget = Math.max(1, Math.floor(options.rows) - 1);
  const now = options.now ?? performance.now();
  const s = makeStyle(options.color);
  const info = scheduler[liveInfo]?.();
  const lines: Line[] = [];

  const elapsed = info?.runStartedAt === undefined ? "" : ` ${formatDuration(now - info.runStartedAt)}`;
  const described = Object.entries(scheduler.executor.describe()).map(([k, v]) => `${k} ${formatValue(v)}`);
  const executorTokens = pack(described, width, "  ", "  ");
  lines.push({
    text: `${s.bold("amltk")} ${phaseLabel(scheduler.phase, s)}${elapsed} ${s.dim("│")} ${scheduler.executor.kind}${
      executorTokens.length > 0 ? s.dim(":") : ""
    }`,
    priority: 0,
  });
  executorTokens.forEach((text, i) => lines.push({ text: s.dim(text), priority: i === 0 ? 1 : 6 }));

  const queue = scheduler.queue;
  const running = queue.filter((f) => f.state === "running");
  const pending = queue.filter((f) => f.state === "pending");
  lines.push({
    text: `${s.bold("Queue")} ${queue.length} ${s.dim("·")} ${s.green(`${running.length} running`)} ${s.dim("·")} ${pending.length} pending`,
    priority: 0,
  });
  const since = (f: Future<any>) => info?.runningSince(f) ?? now;
  [...running]
    .sort((a, b) => since(a) - since(b))
    .forEach((future, i) => {
      const label = callLabel(future);
      const task = future.taskName === undefined || label.startsWith(`${future.taskName}(`) ? "" : s.dim(` [${future.taskName}]`);
      lines.push({
        text: `  ${s.green("▶")} ${formatDuration(now - since(future)).padStart(6)}  ${label}${task}`,
        priority: i < 3 ? 1 : 4,
      });
    });
  if (pending.length > 0) {
    lines.push({ text: s.dim(`  … next: ${pending.slice(0, 5).map(callLabel).join(", ")}`), priority: 5 });
  }

  lines.push(...eventLines(scheduler, "Events", s, width, 2));
  for (const task of scheduler.tasks) {
    const plugins = task.plugins.map((plugin) => {
      const rows = Object.entries(plugin.describe?.() ?? {}).map(([k, v]) => `${k} ${v}`);
      return rows.length > 0 ? `${plugin.name} ${rows.join(" ")}` : plugin.name;
    });
    const runningText = task.nRunning > 0 ? ` ${s.green(`${task.nRunning} running`)}` : "";
    lines.push({
      text: `${s.bold(`Task ${task.name}`)}${runningText}${plugins.length > 0 ? ` ${s.dim("│")} ${plugins.join(" · ")}` : ""}`,
      priority: 0,
    });
    lines.push(...eventLines(task, "Events", s, width, 3));
  }

  return fit(lines, budget).map((text) => truncate(text, width));
}

/** The lines to show within `budget` rows: by priority, in their original order. */
function fit(lines: Line[], budget: number): string[] {
  if (lines.length <= budget) return lines.map((l) => l.text);
  const order = lines.map((line, index) => ({ line, index })).sort((a, b) => a.line.priority - b.line.priority || a.index - b.index);
  const keep = new Set(order.slice(0, budget - 1).map((o) => o.index));
  const kept = lines.filter((_, i) => keep.has(i)).map((l) => l.text);
  kept.push(`… ${lines.length - kept.length} more lines`);
  return kept;
}
