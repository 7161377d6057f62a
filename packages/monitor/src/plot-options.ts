/**
 * The options of `plot()`/`toSVG()` and of the `amltk-trace` renderer, checked once: unknown
 * keys and bad values are `InvalidArgumentError`s, not ignored.
 */

import { InvalidArgumentError, checkOptions } from "@amltk/scheduler";

/** How a plot looks. */
export interface SvgOptions {
  /** The title at the top. @default "Queue monitor" */
  title?: string | undefined;
  /** The image width in pixels (the height follows from the number of lanes). @default 1000 */
  width?: number | undefined;
}

/** `plot()`'s options: where to write, and how it looks. */
export interface PlotOptions extends SvgOptions {
  /** The SVG file to write (overwritten). */
  file: string;
}

/** `SvgOptions` with every default applied. */
export interface ResolvedSvgOptions {
  readonly title: string;
  readonly width: number;
}

/** The narrowest width at which the legend, axes and lane labels still fit. */
export const MIN_WIDTH = 480;

/** Checks `options` (at `path`) and applies the defaults. */
export function resolveSvgOptions(path: string, options: SvgOptions | undefined, extraKeys: readonly string[] = []): ResolvedSvgOptions {
  checkOptions(path, options as unknown, ["title", "width", ...extraKeys]);
  const title = options?.title ?? "Queue monitor";
  if (typeof title !== "string") throw new InvalidArgumentError(`${path}.title`, "a string", title);
  const width = options?.width ?? 1000;
  if (typeof width !== "number" || !Number.isInteger(width) || width < MIN_WIDTH || width > 20_000) {
    throw new InvalidArgumentError(`${path}.width`, `an integer from ${MIN_WIDTH} to 20000`, width);
  }
  return { title, width };
}

/** `plot(file | options)`'s argument, checked: the file and the look. */
export function resolvePlotArgument(argument: string | PlotOptions): { file: string; svg: ResolvedSvgOptions } {
  if (typeof argument === "string") {
    if (argument === "") throw new InvalidArgumentError("file", "a non-empty path", argument);
    return { file: argument, svg: resolveSvgOptions("options", undefined) };
  }
  const svg = resolveSvgOptions("options", argument, ["file"]);
  const file = (argument as Partial<PlotOptions> | undefined)?.file;
  if (typeof file !== "string" || file === "") throw new InvalidArgumentError("options.file", "a non-empty path", file);
  return { file, svg };
}
