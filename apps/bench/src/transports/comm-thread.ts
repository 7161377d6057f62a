/**
 * The worker of the raw threads Comm baseline: on `n` from the main thread it posts
 * `0, ..., n - 1` with `parentPort.postMessage`, then `"done"`.
 */

import { parentPort } from "node:worker_threads";

const port = parentPort!;
port.on("message", (n: number) => {
  for (let i = 0; i < n; i++) port.postMessage(i);
  port.postMessage("done");
});
