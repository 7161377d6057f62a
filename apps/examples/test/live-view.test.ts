/**
 * The live view in a real terminal: a program with `run({ display: true })` prints 100 lines
 * from callbacks and 100 from workers (threads, then child processes), in a tmux pane of 80×24; the screen history
 * must hold every line exactly once, no stale frame, and a final frame that fits.
 */

import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as pause } from "node:timers/promises";
import { afterEach, expect, test } from "vitest";
import { packagePath } from "./helpers.js";

function hasTmux(): boolean {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

// CI installs tmux (.ci/run); elsewhere the test needs it installed, or it is skipped.
const runnable = hasTmux() || process.env["CI"] !== undefined;
const sockets: string[] = [];

/** tmux on a server of our own (`-S socket`), so cleanup never touches anyone else's. */
function tmux(socket: string, ...args: string[]): string {
  return execFileSync("tmux", ["-S", socket, "-f", "/dev/null", ...args], { encoding: "utf8" });
}

afterEach(() => {
  for (const socket of sockets.splice(0)) {
    try {
      tmux(socket, "kill-server");
    } catch {
      // Already gone.
    }
    // kill-server leaves the socket file behind.
    rmSync(join(socket, ".."), { recursive: true, force: true });
  }
});

const width = (line: string) => [...line].length;

test.runIf(runnable).each(["threads", "processes"])("on %s: keeps every line printed during a live run, and the final frame fits 80×24", async (executor) => {
  const socket = join(mkdtempSync(join(tmpdir(), "amltk-live-")), "tmux.sock");
  sockets.push(socket);
  const marker = `LIVE-RUN-FINISHED-${randomUUID()}`;
  const program = packagePath("test/fixtures/live-run.mjs");
  // `exec cat` keeps the pane (and its history) after the program exits, until kill-server.
  tmux(socket, "new-session", "-d", "-x", "80", "-y", "24", `${JSON.stringify(process.execPath)} ${JSON.stringify(program)} ${marker} ${executor}; exec cat`);
  tmux(socket, "set-option", "-g", "history-limit", "10000");

  let history: string[] = [];
  // Bounded: 20 s at most, polling the pane for the marker the program prints last.
  for (let attempt = 0; attempt < 400; attempt++) {
    // -J joins lines the terminal wrapped, so a line wider than the pane shows as one long line.
    history = tmux(socket, "capture-pane", "-p", "-J", "-S", "-").split("\n").map((line) => line.trimEnd());
    if (history.includes(marker)) break;
    await pause(50);
  }
  expect(history, "the program did not finish").toContain(marker);

  for (let i = 0; i < 100; i++) {
    const n = String(i).padStart(3, "0");
    expect(history.filter((l) => l === `callback line ${n}`), `callback line ${n}`).toHaveLength(1);
    // Child processes' lines come prefixed with "[worker PID] ".
    const worker = new RegExp(`^(\\[worker \\d+\\] )?worker line ${n}$`);
    expect(history.filter((l) => worker.test(l)), `worker line ${n}`).toHaveLength(1);
  }
  for (let i = 0; i < 100; i += 10) {
    expect(history.filter((l) => l === `partial ${i} completed`)).toHaveLength(1);
  }
  for (let i = 0; i < 100; i += 25) {
    expect(history.filter((l) => l === `stderr line ${i}`)).toHaveLength(1);
  }

  // Only the final frame is left: every live frame was cleared before output was written.
  expect(history.filter((l) => l.startsWith("amltk "))).toHaveLength(1);
  const top = history.findIndex((l) => l.startsWith("amltk "));
  const frame = history.slice(top, history.indexOf(marker));
  expect(frame.length).toBeGreaterThan(3);
  expect(frame.length).toBeLessThanOrEqual(23);
  for (const line of frame) expect(width(line), line).toBeLessThanOrEqual(80);
  expect(frame.join("\n")).toContain("Task shout");
  expect(frame.join("\n")).toMatch(/Calls 100\/100/);
}, 30_000);
