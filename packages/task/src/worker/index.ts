/**
 * @amltk/task/worker: the worker side of every transport. The protocol messages (versioned,
 * plain data) and `parseMessage`, `serveWorker` (handshake, dispatch, Comm), the error codec
 * and its class registry, the search for values a transport cannot carry, and the typed
 * errors executors report.
 *
 * @example
 * ```ts
 * import { serveWorker, registerError, WorkerCrashedError } from "@amltk/task/worker";
 * ```
 */
export { CrashGuard } from "./crash-guard.js";
export { ShutdownTracker } from "./shutdown-tracker.js";
export {
  decodeError,
  decodeErrorAsync,
  encodeError,
  errorClassNames,
  ERROR_CHAIN,
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
  ProtocolError,
  ProtocolVersionError,
  UnsendableValueError,
  WorkerCrashedError,
  WorkerLostError,
  WorkerMemoryLimitError,
  type WorkerExit,
} from "./errors.js";
export { parseMessage, type MessageDirection } from "./parse.js";
export {
  PROTOCOL_VERSION,
  callMessage,
  defineMessage,
  type AnswerMessage,
  type CallMessage,
  type CallMessageOut,
  type CancelMessage,
  type CloseMessage,
  type DefineMessage,
  type ErrorMessage,
  type FromWorkerMessage,
  type HelloMessage,
  type PingMessage,
  type PongMessage,
  type RequestMessage,
  type ResponseMessage,
  type ResultMessage,
  type StartedMessage,
  type ToWorkerMessage,
  type WarningMessage,
  type WelcomeMessage,
  type WithdrawMessage,
} from "./protocol.js";
export { Deque } from "./deque.js";
export { serveWorker, type ServeWorkerOptions, type WorkerEndpoint, type WorkerServer } from "./serve.js";
export { WorkerCallContext, type CallContextHooks } from "./call-context.js";
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
