/**
 * The child of the raw processes Comm baseline: on `n` from the parent it sends
 * `0, ..., n - 1` with `process.send`, then `"done"`.
 */

const send = process.send!.bind(process);
process.on("message", (n: number) => {
  for (let i = 0; i < n; i++) send(i);
  send("done");
});
// The parent closes the channel to end the child.
process.on("disconnect", () => process.exit(0));
