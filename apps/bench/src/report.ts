/**
 * Printing: the machine facts, section headings and aligned tables. Tables are Markdown
 * (pipes and a separator row) so a run can be pasted into an issue or PR as it is, and the
 * columns are padded so it also reads well in a terminal.
 */

import os from "node:os";
import type { Summary } from "./harness.js";

/** A column of a table; numbers read best right-aligned. */
export interface Column {
  readonly header: string;
  readonly align?: "left" | "right";
}

/** Where the report goes; a suite never calls `console.log` itself, so output can be redirected. */
export type Print = (line: string) => void;

/** Prints to stdout. */
export const print: Print = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * Prints a heading, a table and notes below it.
 *
 * @example
 * ```ts
 * printTable("Speed", [{ header: "case" }, { header: "ops/s", align: "right" }], [["a", "1"]]);
 * ```
 */
export function printTable(
  title: string,
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  notes: readonly string[] = [],
  out: Print = print,
): void {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? "").length)));
  const cell = (text: string, i: number) => {
    const width = widths[i]!;
    return columns[i]!.align === "right" ? text.padStart(width) : text.padEnd(width);
  };
  const line = (cells: readonly string[]) => `| ${columns.map((_, i) => cell(cells[i] ?? "", i)).join(" | ")} |`;
  out("");
  out(`### ${title}`);
  out("");
  out(line(columns.map((c) => c.header)));
  out(`|${columns.map((c, i) => (c.align === "right" ? `${"-".repeat(widths[i]! + 1)}:` : "-".repeat(widths[i]! + 2))).join("|")}|`);
  for (const row of rows) out(line(row));
  if (notes.length > 0) {
    out("");
    for (const note of notes) out(note);
  }
}

/**
 * Prints the facts a reader needs to compare runs across machines, and the load at start:
 * this machine is shared, and a high load average explains a noisy run.
 */
export function printMachine(out: Print = print): void {
  const cpus = os.cpus();
  const models = [...new Set(cpus.map((c) => c.model.trim()))].join(", ") || "unknown";
  const load = os.loadavg().map((l) => l.toFixed(2)).join(" ");
  out("# amltk-ts benchmarks");
  out("");
  out(`- node ${process.version} (V8 ${process.versions.v8}), ${process.platform}/${process.arch}`);
  out(`- cpus: ${cpus.length} x ${models} (available parallelism ${os.availableParallelism()})`);
  out(`- memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; load average at start (1/5/15 min): ${load}`);
  out(`- date: ${new Date().toISOString()}`);
}

/** Prints a top-level section heading. */
export function printSection(title: string, out: Print = print): void {
  out("");
  out(`## ${title}`);
}

/** `12,345,678`: integers with thousands separators, for calls per second. */
export function formatInt(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** `25.12 M`: millions with two decimals, for emits per second. */
export function formatMillions(value: number): string {
  return `${(value / 1e6).toFixed(2)} M`;
}

/** `0.48x`: a ratio. */
export function formatRatio(value: number): string {
  return `${value.toFixed(value >= 10 ? 1 : 2)}x`;
}

/** `3.2`: milliseconds as microseconds, for round-trip latencies. */
export function formatMicros(ms: number): string {
  const us = ms * 1000;
  return us >= 100 ? us.toFixed(0) : us.toFixed(1);
}

/** `1.23`: milliseconds. */
export function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(2);
}

/** `4.1%`: how far apart the samples were, (max - min) / median. */
export function formatSpread(summary: Summary): string {
  return `${summary.spreadPct.toFixed(1)}%`;
}

/** `PASS` / `FAIL`. */
export function passFail(ok: boolean): string {
  return ok ? "PASS" : "FAIL";
}
