/**
 * Measuring and cutting text for a terminal: the width a string takes on screen (ANSI escape
 * codes take none, East Asian wide characters and most emoji take two, combining marks none),
 * and truncation to a width with an ellipsis that keeps escape codes intact.
 */

// CSI sequences (colours, cursor moves) and OSC sequences (hyperlinks, titles).
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/y;

/** The columns one code point takes: 0, 1 or 2. */
function codePointWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  // Combining marks, zero-width joiners and variation selectors.
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/**
 * The number of terminal columns `text` takes (one line; escape codes count zero).
 *
 * @example
 * ```ts
 * displayWidth("\x1b[1mhi\x1b[0m"); // 2
 * displayWidth("日本"); // 4
 * ```
 */
export function displayWidth(text: string): number {
  let width = 0;
  let i = 0;
  while (i < text.length) {
    ANSI.lastIndex = i;
    const escape = ANSI.exec(text);
    if (escape !== null) {
      i += escape[0].length;
      continue;
    }
    const cp = text.codePointAt(i)!;
    width += codePointWidth(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return width;
}

/**
 * `text` cut to at most `width` columns, ending in `…` when cut. Escape codes are kept whole
 * (never split), and a reset is appended after a cut so a colour does not leak.
 *
 * @example
 * ```ts
 * truncate("hello world", 8); // "hello w…"
 * ```
 */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return "";
  let out = "";
  let used = 0;
  let styled = false;
  let i = 0;
  while (i < text.length) {
    ANSI.lastIndex = i;
    const escape = ANSI.exec(text);
    if (escape !== null) {
      out += escape[0];
      styled = true;
      i += escape[0].length;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const w = codePointWidth(cp);
    // Room is kept for the one-column ellipsis.
    if (used + w > width - 1) break;
    out += String.fromCodePoint(cp);
    used += w;
    i += cp > 0xffff ? 2 : 1;
  }
  return `${out}…${styled ? "\x1b[0m" : ""}`;
}
