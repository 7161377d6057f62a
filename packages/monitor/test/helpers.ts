/**
 * Test plumbing: a scheduler on the in-process executor whose calls sleep on (fake) timers,
 * and a tiny reader for the bars and legend of a plot.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";

/** An async call that waits `ms` on `setTimeout` (faked in the timing tests) and returns it. */
export const nap = (ms: number): Promise<number> => new Promise((resolve) => setTimeout(() => resolve(ms), ms));

/** A call that waits `ms`, then throws a RangeError. */
export const napThenFail = async (ms: number): Promise<never> => {
  await nap(ms);
  throw new RangeError(`failed after ${ms}`);
};

/** A fresh temporary directory, removed when the calling test finishes. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "amltk-monitor-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The `data-*` attributes of every `<rect class="bar" ...>` of an SVG. */
export function barsOf(svg: string): Array<Record<string, string>> {
  const bars: Array<Record<string, string>> = [];
  for (const match of svg.matchAll(/<rect class="bar" ([^>]*)>/g)) {
    const attributes: Record<string, string> = {};
    for (const [, key, value] of match[1]!.matchAll(/data-([a-z-]+)="([^"]*)"/g)) attributes[key!] = value!;
    bars.push(attributes);
  }
  return bars;
}

/** The legend keys of an SVG (`data-key` of each legend item). */
export function legendKeysOf(svg: string): string[] {
  return [...svg.matchAll(/<g class="legend-item" data-key="([^"]*)"/g)].map((m) => m[1]!);
}
