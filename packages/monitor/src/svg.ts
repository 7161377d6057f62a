/**
 * A `Timeline` drawn as one self-contained SVG, by hand (no browser, no native dependency):
 * a title and a legend; on top a stacked area of running / idle / queued calls over time;
 * below it a per-worker timeline (Dask's task stream) with one bar per call on its worker's
 * lane, coloured by task, failed calls hatched in red, cancelled ones pale with a dashed edge.
 * Every bar carries `data-*` attributes (call id, lane, worker, task, outcome, start, end) so
 * tools and tests can read the picture back.
 */

import type { CallBar, Timeline } from "./records.js";
import type { ResolvedSvgOptions } from "./plot-options.js";

/** Colours of the stacked area: neutral, so they are never mistaken for a task's colour. */
export const SERIES_COLOURS = { running: "#3d405b", idle: "#e4e6ea", queued: "#f2cc8f" } as const;
/**
 * Task colours, in order of first appearance: Tableau 10 without its red (kept for failures)
 * and its yellow (too close to the queued band).
 */
export const TASK_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#8cd17d"];
const FAILED = "#d62728";
const INK = "#333";
const FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"';

const MARGIN_LEFT = 120;
const MARGIN_RIGHT = 24;
const AREA_HEIGHT = 180;
const LANE_HEIGHT = 22;
const BAR_HEIGHT = 16;
const GAP = 60;

/** Escapes text for an XML attribute or text node. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** At most `max` characters, with an ellipsis when cut. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A number for an SVG coordinate: two decimals are plenty and keep the file small. */
function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Round tick values from 0 to at least `max`, about `target` of them: steps of 1, 2 or 5 × 10^k. */
export function niceTicks(max: number, target: number): number[] {
  const range = max > 0 ? max : 1;
  const raw = range / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  // Bounded: at most target * 5 + 2 ticks, since step >= range / target.
  for (let i = 0; i * step <= range + step * 1e-9; i++) ticks.push(Math.round(i * step * 1e9) / 1e9);
  if (ticks[ticks.length - 1]! < range - step * 1e-9) ticks.push(ticks[ticks.length - 1]! + step);
  return ticks;
}

/** The colour of `task`. */
function taskColour(tasks: readonly string[], task: string): string {
  const index = Math.max(0, tasks.indexOf(task));
  return TASK_COLOURS[index % TASK_COLOURS.length]!;
}

interface LegendItem {
  readonly key: string;
  readonly label: string;
  /** A swatch, or none for a row's heading. */
  readonly swatch: ((x: number, y: number) => string) | undefined;
  /** Starts a new row. */
  readonly newRow?: boolean;
}

/** Legend items laid out left to right, wrapping onto new rows; returns the markup and height. */
function legend(items: readonly LegendItem[], x0: number, y0: number, width: number): { svg: string; height: number } {
  const rowHeight = 20;
  let x = x0;
  let y = y0;
  const parts: string[] = [];
  for (const item of items) {
    // About 6.6 px per character at 12 px: a conservative estimate, so labels never collide.
    const swatchWidth = item.swatch === undefined ? 0 : 18;
    const itemWidth = swatchWidth + Math.ceil(item.label.length * 6.6) + 18;
    if (x > x0 && (item.newRow === true || x + itemWidth > x0 + width)) {
      x = x0;
      y += rowHeight;
    }
    if (item.swatch === undefined) {
      parts.push(`<text class="legend-heading" x="${n(x)}" y="${n(y + 10)}" font-size="12" font-weight="bold" fill="${INK}">${escapeXml(item.label)}</text>`);
    } else {
      parts.push(
        `<g class="legend-item" data-key="${escapeXml(item.key)}">${item.swatch(x, y)}` +
          `<text x="${n(x + swatchWidth)}" y="${n(y + 10)}" font-size="12" fill="${INK}">${escapeXml(item.label)}</text></g>`,
      );
    }
    x += itemWidth;
  }
  return { svg: `<g class="legend">${parts.join("")}</g>`, height: y - y0 + rowHeight };
}

function box(fill: string, extra = ""): (x: number, y: number) => string {
  return (x, y) => `<rect x="${n(x)}" y="${n(y)}" width="12" height="12" fill="${fill}" ${extra}/>`;
}

/** The step outline of a band between `lower` and `upper` counts, as an SVG path. */
function bandPath(
  times: readonly number[],
  lower: readonly number[],
  upper: readonly number[],
  end: number,
  sx: (t: number) => number,
  sy: (v: number) => number,
): string {
  const top: string[] = [];
  const bottom: string[] = [];
  for (let i = 0; i < times.length; i++) {
    const from = sx(times[i]!);
    const to = sx(i + 1 < times.length ? times[i + 1]! : end);
    top.push(`${n(from)},${n(sy(upper[i]!))}`, `${n(to)},${n(sy(upper[i]!))}`);
    bottom.push(`${n(from)},${n(sy(lower[i]!))}`, `${n(to)},${n(sy(lower[i]!))}`);
  }
  return `M${top.join("L")}L${bottom.reverse().join("L")}Z`;
}

/** One bar of the task stream. */
function barMarkup(bar: CallBar, tasks: readonly string[], sx: (t: number) => number, laneTop: number, end: number): string {
  const x = sx(bar.start);
  const barEnd = bar.end ?? end;
  // A call of a few microseconds still gets a visible sliver.
  const width = Math.max(1, sx(barEnd) - x);
  const y = laneTop + bar.lane * LANE_HEIGHT + (LANE_HEIGHT - BAR_HEIGHT) / 2;
  const colour = taskColour(tasks, bar.task);
  let style: string;
  switch (bar.outcome) {
    case "exception":
      style = `fill="${colour}" stroke="${FAILED}" stroke-width="2"`;
      break;
    case "cancelled":
      style = `fill="${colour}" fill-opacity="0.3" stroke="${INK}" stroke-width="1" stroke-dasharray="3,2"`;
      break;
    case "running":
      style = `fill="${colour}" fill-opacity="0.6" stroke="${colour}" stroke-width="1"`;
      break;
    default:
      style = `fill="${colour}" stroke="#fff" stroke-width="0.5"`;
  }
  const duration = barEnd - bar.start;
  const tip = `call ${bar.callId} ${bar.task} on ${bar.worker}: ${bar.outcome}, ${duration.toFixed(3)} s from ${bar.start.toFixed(3)} s`;
  const attributes =
    `class="bar" data-call-id="${bar.callId}" data-lane="${bar.lane}" data-worker="${escapeXml(bar.worker)}" ` +
    `data-task="${escapeXml(bar.task)}" data-outcome="${bar.outcome}" data-start="${bar.start}" data-end="${bar.end ?? ""}"`;
  const rect = `<rect ${attributes} x="${n(x)}" y="${n(y)}" width="${n(width)}" height="${BAR_HEIGHT}" ${style}><title>${escapeXml(tip)}</title></rect>`;
  if (bar.outcome !== "exception") return rect;
  // Hatching on top says "failed" without relying on colour alone.
  return `${rect}<rect x="${n(x)}" y="${n(y)}" width="${n(width)}" height="${BAR_HEIGHT}" fill="url(#failed-hatch)" pointer-events="none"/>`;
}

/** Vertical grid lines at the ticks, from `top` to `bottom`: drawn first, behind the data. */
function grid(ticks: readonly number[], sx: (t: number) => number, top: number, bottom: number): string {
  return ticks
    .map((t) => `<line x1="${n(sx(t))}" y1="${n(top)}" x2="${n(sx(t))}" y2="${n(bottom)}" stroke="#000" stroke-opacity="0.08"/>`)
    .join("");
}

/** X axis ticks and labels (seconds) along `y`. */
function xAxis(name: string, ticks: readonly number[], sx: (t: number) => number, y: number, decimals: number): string {
  const parts = ticks.map((t) => {
    const x = n(sx(t));
    return (
      `<line x1="${x}" y1="${n(y)}" x2="${x}" y2="${n(y + 4)}" stroke="${INK}"/>` +
      `<text class="tick" x="${x}" y="${n(y + 16)}" font-size="11" text-anchor="middle" fill="${INK}">${t.toFixed(decimals)}</text>`
    );
  });
  const left = n(sx(ticks[0] ?? 0));
  const right = n(sx(ticks[ticks.length - 1] ?? 0));
  return `<g class="axis" data-axis="${name}"><line x1="${left}" y1="${n(y)}" x2="${right}" y2="${n(y)}" stroke="${INK}"/>${parts.join("")}</g>`;
}

/**
 * `timeline` as an SVG document.
 *
 * @example
 * ```ts
 * writeFileSync("run.svg", timelineToSVG(monitor.timeline(), { title: "search", width: 1000 }));
 * ```
 */
export function timelineToSVG(timeline: Timeline, options: ResolvedSvgOptions): string {
  const { width, title } = options;
  const plotLeft = MARGIN_LEFT;
  const plotWidth = width - MARGIN_LEFT - MARGIN_RIGHT;
  const xTicks = niceTicks(timeline.end, Math.max(3, Math.floor(plotWidth / 90)));
  const xMax = xTicks[xTicks.length - 1]!;
  const step = xTicks.length > 1 ? xTicks[1]! - xTicks[0]! : 1;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const sx = (t: number) => plotLeft + (t / xMax) * plotWidth;

  const capacity = timeline.capacity;
  const times = timeline.samples.map((s) => s.time);
  const running = timeline.samples.map((s) => s.running);
  const idleTop = timeline.samples.map((s) => Math.max(s.running, capacity));
  const queuedTop = timeline.samples.map((s, i) => idleTop[i]! + s.queued);

  const items: LegendItem[] = [
    { key: "heading:calls", label: "Calls:", swatch: undefined },
    { key: "running", label: "running", swatch: box(SERIES_COLOURS.running) },
    { key: "idle", label: "idle workers", swatch: box(SERIES_COLOURS.idle) },
    { key: "queued", label: "queued", swatch: box(SERIES_COLOURS.queued) },
    { key: "heading:tasks", label: "Tasks:", swatch: undefined, newRow: true },
    ...timeline.tasks.map((task) => ({ key: `task:${task}`, label: clip(task, 30), swatch: box(taskColour(timeline.tasks, task)) })),
    { key: "failed", label: "failed", swatch: box("url(#failed-hatch)", `stroke="${FAILED}" stroke-width="2"`) },
    { key: "cancelled", label: "cancelled", swatch: box("#bbb", `fill-opacity="0.3" stroke="${INK}" stroke-dasharray="3,2"`) },
  ];
  // The header spans the whole width: title, then the summary, then the legend.
  const headerLeft = 16;
  const legendTop = 58;
  const legendBlock = legend(items, headerLeft, legendTop, width - 2 * headerLeft);

  const areaTop = legendTop + legendBlock.height + 28;
  const areaBottom = areaTop + AREA_HEIGHT;
  const yTicks = niceTicks(Math.max(1, ...queuedTop), 5).filter((v) => Number.isInteger(v));
  const yMax = yTicks[yTicks.length - 1]!;
  const sy = (v: number) => areaBottom - (v / yMax) * AREA_HEIGHT;

  const laneCount = Math.max(1, timeline.lanes.length);
  const laneTop = areaBottom + GAP;
  const laneBottom = laneTop + laneCount * LANE_HEIGHT;
  const height = laneBottom + 52;

  const yAxis = yTicks
    .map(
      (v) =>
        `<line x1="${n(plotLeft - 4)}" y1="${n(sy(v))}" x2="${n(plotLeft)}" y2="${n(sy(v))}" stroke="${INK}"/>` +
        `<text class="tick" x="${n(plotLeft - 8)}" y="${n(sy(v) + 4)}" font-size="11" text-anchor="end" fill="${INK}">${v}</text>`,
    )
    .join("");
  const laneLabels = timeline.lanes
    .map(
      (label, i) =>
        `<text class="lane-label" data-lane="${i}" x="${n(plotLeft - 8)}" y="${n(laneTop + i * LANE_HEIGHT + LANE_HEIGHT / 2 + 4)}" ` +
        `font-size="11" text-anchor="end" fill="${INK}">${escapeXml(clip(label, 16))}<title>${escapeXml(label)}</title></text>`,
    )
    .join("");
  const laneStripes = timeline.lanes
    .map((_, i) =>
      i % 2 === 0 ? "" : `<rect x="${n(plotLeft)}" y="${n(laneTop + i * LANE_HEIGHT)}" width="${n(plotWidth)}" height="${LANE_HEIGHT}" fill="#f4f6f8"/>`,
    )
    .join("");
  const bars = timeline.bars.map((bar) => barMarkup(bar, timeline.tasks, sx, laneTop, timeline.end)).join("");
  const utilisation = capacity > 0 && timeline.end > 0 ? busy(timeline) / (capacity * timeline.end) : 0;
  const subtitle = `${timeline.bars.length} calls started, ${capacity} worker${capacity === 1 ? "" : "s"}, ${timeline.end.toFixed(2)} s, utilisation ${(utilisation * 100).toFixed(1)} %`;

  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${n(height)}" viewBox="0 0 ${width} ${n(height)}" ${FONT}>`,
    `<defs><pattern id="failed-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
      `<line x1="0" y1="0" x2="0" y2="6" stroke="${FAILED}" stroke-width="2"/></pattern></defs>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    // About 11 px per character of 18 px bold: clipped so a long title never runs off the image.
    `<text class="title" x="${headerLeft}" y="26" font-size="18" font-weight="bold" fill="${INK}">${escapeXml(clip(title, Math.floor((width - 2 * headerLeft) / 11)))}<title>${escapeXml(title)}</title></text>`,
    `<text class="subtitle" x="${headerLeft}" y="44" font-size="12" fill="#666">${escapeXml(subtitle)}</text>`,
    legendBlock.svg,
    `<g class="panel" data-panel="queue">`,
    `<text x="${n(plotLeft)}" y="${n(areaTop - 10)}" font-size="13" font-weight="bold" fill="${INK}">Calls over time</text>`,
    grid(xTicks, sx, areaTop, areaBottom),
    `<path class="area" data-series="running" d="${bandPath(times, times.map(() => 0), running, timeline.end, sx, sy)}" fill="${SERIES_COLOURS.running}"/>`,
    `<path class="area" data-series="idle" d="${bandPath(times, running, idleTop, timeline.end, sx, sy)}" fill="${SERIES_COLOURS.idle}"/>`,
    `<path class="area" data-series="queued" d="${bandPath(times, idleTop, queuedTop, timeline.end, sx, sy)}" fill="${SERIES_COLOURS.queued}"/>`,
    `<g class="axis" data-axis="y-calls"><line x1="${n(plotLeft)}" y1="${n(areaTop)}" x2="${n(plotLeft)}" y2="${n(areaBottom)}" stroke="${INK}"/>${yAxis}</g>`,
    `<text x="${n(plotLeft - 44)}" y="${n((areaTop + areaBottom) / 2)}" font-size="12" text-anchor="middle" fill="${INK}" transform="rotate(-90 ${n(plotLeft - 44)} ${n((areaTop + areaBottom) / 2)})">calls</text>`,
    xAxis("x-queue", xTicks, sx, areaBottom, decimals),
    `</g>`,
    `<g class="panel" data-panel="workers">`,
    `<text x="${n(plotLeft)}" y="${n(laneTop - 10)}" font-size="13" font-weight="bold" fill="${INK}">Calls per worker</text>`,
    laneStripes,
    grid(xTicks, sx, laneTop, laneBottom),
    `<g class="lanes">${laneLabels}</g>`,
    `<g class="bars">${bars}</g>`,
    `<line x1="${n(plotLeft)}" y1="${n(laneTop)}" x2="${n(plotLeft)}" y2="${n(laneBottom)}" stroke="${INK}"/>`,
    xAxis("x-workers", xTicks, sx, laneBottom, decimals),
    `<text class="axis-title" x="${n(plotLeft + plotWidth / 2)}" y="${n(laneBottom + 40)}" font-size="12" text-anchor="middle" fill="${INK}">seconds since the run started</text>`,
    `</g>`,
    `</svg>`,
    ``,
  ].join("\n");
}

/** Busy worker-seconds drawn in `timeline`. */
function busy(timeline: Timeline): number {
  let total = 0;
  for (const bar of timeline.bars) total += (bar.end ?? timeline.end) - bar.start;
  return total;
}
