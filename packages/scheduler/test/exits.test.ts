import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

it("a program that ran the scheduler exits on its own, leaving no timer behind", async () => {
  const script = fileURLToPath(new URL("./fixtures/exits.mjs", import.meta.url));
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = execFile(process.execPath, [script], { timeout: 15_000 }, (error, out) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout: out }),
    );
    child.stdin?.end();
  });
  expect(code).toBe(0);
  expect(stdout.trim().split("\n").at(-1)).toBe('["exhausted","timeout"]');
});
