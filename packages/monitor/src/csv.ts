/**
 * Records as CSV (RFC 4180): a header row, then one row per record; fields with commas,
 * quotes or line breaks are quoted, quotes doubled, `null` is an empty field.
 */

import type { MonitorRecord } from "./records.js";

/** The CSV columns, in order: the keys of `MonitorRecord`. */
export const CSV_COLUMNS = [
  "event",
  "time",
  "date",
  "callId",
  "task",
  "worker",
  "lane",
  "outcome",
  "queued",
  "running",
  "finished",
  "cancelled",
] as const satisfies readonly (keyof MonitorRecord)[];

/** One CSV field. */
function field(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * `records` as CSV text, with a header row and a trailing newline.
 *
 * @example
 * ```ts
 * writeFileSync("queue.csv", recordsToCSV(monitor.records()));
 * ```
 */
export function recordsToCSV(records: readonly MonitorRecord[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const record of records) lines.push(CSV_COLUMNS.map((column) => field(record[column])).join(","));
  return `${lines.join("\n")}\n`;
}
