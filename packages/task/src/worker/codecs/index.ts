/**
 * The wire codecs: how values cross a transport (structured clone for threads and Node
 * processes, MessagePack for remote workers and files), each refusing what it cannot carry
 * exactly instead of altering it.
 *
 * @example
 * ```ts
 * import { msgpackCodec, structuredCloneCodec } from "@amltk/task/worker";
 * ```
 */
export {
  createStructuredCloneBytesCodec,
  createStructuredCloneCodec,
  structuredCloneBytesCodec,
  structuredCloneCodec,
} from "./structured-clone.js";
export { createMsgpackCodec, msgpackCodec } from "./msgpack.js";
export { DEFAULT_MAX_DEPTH, WireDecodeError, type CodecOptions, type WireCodec } from "./wire-codec.js";
