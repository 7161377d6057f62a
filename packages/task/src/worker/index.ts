/**
 * @amltk/task/worker: the plumbing every out-of-process executor shares, whatever its
 * transport. The protocol messages (versioned, plain data), the error codec and its class
 * registry, the search for values a transport cannot carry, the worker-side call runner,
 * and the typed errors executors report.
 *
 * @example
 * ```ts
 * import { CallRunner, registerError, WorkerCrashedError } from "@amltk/task/worker";
 * ```
 */
export { CrashGuard } from "./crash-guard.js";
export { ShutdownTracker } from "./shutdown-tracker.js";
export {
  decodeError,
  decodeErrorAsync,
  encodeError,
  isEncodedError,
  registerError,
  registeredError,
  type EncodedError,
  type EncodeOptions,
  type ErrorClass,
  type ErrorOrigin,
  type ModuleExports,
} from "./error-codec.js";
export {
  FunctionRefRequiredError,
  ProtocolVersionError,
  UnsendableValueError,
  WorkerCrashedError,
  WorkerLostError,
  WorkerMemoryLimitError,
  type WorkerExit,
} from "./errors.js";
export {
  PROTOCOL_VERSION,
  callMessage,
  cancelMessage,
  defineMessage,
  indexedCallMessage,
  isProtocolMessage,
  withdrawMessage,
  type AnswerMessage,
  type AnyCallMessage,
  type CallMessage,
  type DefineMessage,
  type IndexedCallMessage,
  type CancelMessage,
  type ErrorMessage,
  type FromWorkerMessage,
  type ReadyMessage,
  type ResultMessage,
  type ToWorkerMessage,
  type WithdrawMessage,
} from "./protocol.js";
export { SerialCallQueue } from "./queue.js";
export { CallRunner, unsendableAnswer, type CallRunnerOptions } from "./runner.js";
export {
  findUnsendable,
  quickUnsendable,
  structuredCloneable,
  type CanSend,
  type Unsendable,
} from "./sendable.js";
export { requireFunctionRef } from "./require-ref.js";
export {
  DEFAULT_MAX_DEPTH,
  WireDecodeError,
  createMsgpackCodec,
  createStructuredCloneBytesCodec,
  createStructuredCloneCodec,
  msgpackCodec,
  structuredCloneBytesCodec,
  structuredCloneCodec,
  type CodecOptions,
  type WireCodec,
} from "./codecs/index.js";
