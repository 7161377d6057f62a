/**
 * The child of the raw processes transport: answers `{ id, x }` with `{ id, value: x + 1 }`
 * over the IPC channel, nothing else.
 */

import { increment } from "../work.js";

interface Request {
  readonly id: number;
  readonly x: number;
}

const send = process.send!.bind(process);
process.on("message", (message: Request) => {
  send({ id: message.id, value: increment(message.x) });
});
// The parent closes the channel to end the child.
process.on("disconnect", () => process.exit(0));
