/**
 * A run settles within its timeout plus `endGraceMs` even when something never settles: an
 * async callback (after a timeout, `stop()` or an aborted signal) or, in-process, a module
 * whose import never ends (with the default `wait: true`); what it stopped waiting for is
 * reported by name, and the program exits by itself. Run in a child process, because the
 * failure is a program that never ends.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

it("reports what never settled, ends every run, and the program exits by itself", async () => {
  const script = fileURLToPath(new URL("./fixtures/unsettled.mjs", import.meta.url));
  const { code, stdout } = await new Promise<{ code: number | string | null; stdout: string }>((resolve) => {
    execFile(process.execPath, [script], { cwd: packageDir, timeout: 15_000, killSignal: "SIGKILL" }, (error, out) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? (error as { signal?: string }).signal ?? null) : 0, stdout: out }),
    );
  });
  const lines = stdout.trim().split("\n");
  const runs = lines.filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(runs).toEqual([
    { run: "timeout", code: "timeout" },
    { run: "stop", code: "stopped" },
    { run: "signal", code: "stopped" },
    {
      run: "import",
      code: "timeout",
      results: expect.any(Array),
      errors: [expect.stringMatching(/^ModuleImportTimeoutError: The module .*hang-import\.mjs had not finished importing 200 ms .*"never"/)],
    },
  ]);
  expect((runs[3]!.results as string[]).sort()).toEqual(["3 while running", "42 while running"]);
  const unsettled = lines.filter((line) => line.startsWith("warning AmltkUnsettledWarning:"));
  expect(unsettled).toHaveLength(3);
  for (const line of unsettled) expect(line).toMatch(/the async event "start" callback had not settled 200 ms after the run's calls ended/);
  expect(code).toBe(0);
}, 20_000);
