/**
 * `parseMessage`: the check every incoming protocol message goes through before it is acted
 * on. A peer on another machine may be buggy, old or hostile; a message that is not exactly
 * one of the protocol's shapes is refused with a `ProtocolError` naming what is wrong, so the
 * transport can close that one connection instead of crashing or guessing.
 */

import { isEncodedError } from "./error-codec.js";
import { ProtocolError } from "./errors.js";
import type { FromWorkerMessage, ToWorkerMessage } from "./protocol.js";

/** Which way a message travels: what the receiving side accepts. */
export type MessageDirection = "to-worker" | "from-worker";

type Check = (message: Record<string, unknown>) => string | undefined;

const isId = (value: unknown): boolean => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
const isTime = (value: unknown): boolean => typeof value === "number" && Number.isFinite(value);

function need(message: Record<string, unknown>, fields: Record<string, (value: unknown) => boolean>): string | undefined {
  for (const key in fields) {
    if (!fields[key]!(message[key])) return `field "${key}" is ${describe(message[key])}`;
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${typeof value === "object" ? "" : String(value)}`.trimEnd();
}

const isString = (value: unknown): boolean => typeof value === "string";
const isArray = (value: unknown): boolean => Array.isArray(value);
const anything = (): boolean => true;
const isCount = (value: unknown): boolean => isId(value) && (value as number) >= 1;
const optional = (check: (value: unknown) => boolean) => (value: unknown) => value === undefined || check(value);

const toWorker: Record<string, Check> = {
  welcome: (m) => need(m, { v: isTime, worker: isString }),
  define: (m) => need(m, { fn: isId, module: isString, exportName: isString }),
  call: (m) => {
    const bad = need(m, { id: isId, args: isArray, attempt: isCount, deadline: optional(isTime) });
    if (bad !== undefined) return bad;
    if (m["fn"] !== undefined) return isId(m["fn"]) ? undefined : `field "fn" is ${describe(m["fn"])}`;
    return need(m, { module: isString, exportName: isString });
  },
  cancel: (m) => need(m, { id: isId }),
  withdraw: (m) => need(m, { id: isId }),
  response: (m) => {
    const bad = need(m, { id: isId, rid: isId });
    if (bad !== undefined) return bad;
    if (m["ok"] === true) return "value" in m ? undefined : 'field "value" is missing';
    if (m["ok"] === false) return isEncodedError(m["error"]) ? undefined : 'field "error" is not an encoded error';
    return `field "ok" is ${describe(m["ok"])}`;
  },
  ping: (m) => need(m, { t: isTime }),
  pong: (m) => need(m, { t: isTime }),
  close: (m) => need(m, { reason: isString }),
};

const fromWorker: Record<string, Check> = {
  hello: (m) =>
    need(m, {
      v: isTime,
      slots: isCount,
      pid: isId,
      host: isString,
      threadId: optional(isId),
      name: optional(isString),
      features: (f) => Array.isArray(f) && f.every(isString),
    }),
  started: (m) => need(m, { id: isId }),
  result: (m) => (need(m, { id: isId }) ?? ("value" in m ? undefined : 'field "value" is missing')),
  error: (m) => need(m, { id: isId, error: isEncodedError }),
  message: (m) => (need(m, { id: isId }) ?? ("data" in m ? undefined : 'field "data" is missing')),
  request: (m) => need(m, { id: isId, rid: isId, data: anything }),
  ping: (m) => need(m, { t: isTime }),
  pong: (m) => need(m, { t: isTime }),
  warning: (m) => need(m, { text: isString, id: optional(isId) }),
  close: (m) => need(m, { reason: isString }),
};

/**
 * `raw` as a protocol message travelling in `direction`, after checking its shape.
 *
 * @throws ProtocolError naming the message type and the field that is wrong.
 * @example
 * ```ts
 * port.on("message", (raw) => {
 *   const message = parseMessage(raw, "from-worker"); // FromWorkerMessage
 *   if (message.type === "result") settle(message.id, message.value);
 * });
 * ```
 */
export function parseMessage(raw: unknown, direction: "to-worker"): ToWorkerMessage;
export function parseMessage(raw: unknown, direction: "from-worker"): FromWorkerMessage;
export function parseMessage(raw: unknown, direction: MessageDirection): ToWorkerMessage | FromWorkerMessage;
export function parseMessage(raw: unknown, direction: MessageDirection): ToWorkerMessage | FromWorkerMessage {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ProtocolError(`A protocol message must be an object; received ${describe(raw)}.`);
  }
  const message = raw as Record<string, unknown>;
  const type = message["type"];
  const checks = direction === "to-worker" ? toWorker : fromWorker;
  if (typeof type !== "string" || !Object.prototype.hasOwnProperty.call(checks, type)) {
    const known = Object.keys(checks).join(", ");
    throw new ProtocolError(`Unknown ${direction} message type ${describe(type)}; known types: ${known}.`);
  }
  const bad = checks[type]!(message);
  if (bad !== undefined) throw new ProtocolError(`Malformed "${type}" message: ${bad}.`);
  return message as unknown as ToWorkerMessage & FromWorkerMessage;
}
