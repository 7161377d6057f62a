/**
 * Colours for the live view, and whether a stream gets them: never without a TTY; otherwise
 * as the stream says (Node's `hasColors()` honours `NO_COLOR`, `FORCE_COLOR`, `TERM=dumb`).
 */

/** The styles the live view uses; identity functions when colour is off. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string) => text;

/**
 * The styles for colour on or off.
 *
 * @example
 * ```ts
 * style(true).green("ok"); // "\x1b[32mok\x1b[39m"
 * style(false).green("ok"); // "ok"
 * ```
 */
export function style(color: boolean): Style {
  if (!color) return { bold: plain, dim: plain, green: plain, yellow: plain, red: plain, cyan: plain };
  return { bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39), yellow: wrap(33, 39), red: wrap(31, 39), cyan: wrap(36, 39) };
}

/**
 * Whether `stream` should get colour: only a TTY, and then `NO_COLOR` (non-empty) turns it
 * off, `FORCE_COLOR` (other than "0") turns it on, else the terminal's own capabilities.
 *
 * @example
 * ```ts
 * const color = supportsColor(process.stdout);
 * ```
 */
export function supportsColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (stream.isTTY !== true) return false;
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  const force = env["FORCE_COLOR"];
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  return typeof stream.hasColors === "function" ? stream.hasColors() : false;
}
