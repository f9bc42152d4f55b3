export { PROTOCOL_VERSION, MESSAGE_TYPES } from './messages';
export type {
  Message,
  MessageType,
  HelloMessage,
  WelcomeMessage,
  InferMessage,
  ResultMessage,
  HeartbeatMessage,
  ErrorMessage,
  ByeMessage,
  BandMessage,
  BundleInfo,
  WireErrorCode,
} from './messages';
export { HUB_MESSAGE_TYPES, emptyTransferStats } from './hub-messages';
export type {
  HubMessage,
  HubMessageType,
  LinkOpenMessage,
  LinkCloseMessage,
  UplinkMessage,
  UplinkDroppedMessage,
  DownlinkMessage,
  DownlinkReportMessage,
  PeerReportMessage,
  TransferStats,
} from './hub-messages';
export { VECTOR_ENCODINGS, MAX_INT8_SCALE, bytesPerElement, packVector, unpackVector } from './vector';
export type { VectorEncoding, VectorPayload } from './vector';
export { toFloat16Bits, fromFloat16Bits } from './float16';
export { DEFAULT_LIMITS, HUB_ENVELOPE_BYTES, resolveLimits, maxDeviceFrameBytes, maxHubFrameBytes } from './limits';
export { IMAGE_SIDE, IMAGE_CHANNELS, IMAGE_BYTES } from './image';
export type { Limits } from './limits';
export { msgpackCodec, jsonCodec, codecByName } from './codec';
export type { Codec } from './codec';
export { parseMessage, parseHubMessage } from './parse';
export { encodeMessage, encodeHubMessage, decodeMessage, decodeHubMessage } from './wire';
export type { WireOptions } from './wire';
export { TIMED_FRAME_HEADER_BYTES, PEER_FRAME_EXTRA_BYTES, encodeTimedFrame, decodeTimedFrame } from './timed-frame';
export type { TimedFrame } from './timed-frame';
export {
  HANDSHAKE_NONCE_BYTES,
  MAX_HANDSHAKE_BYTES,
  MIN_SECRET_BYTES,
  encodeHandshake,
  decodeHandshake,
  handshakeProof,
  verifyProof,
  controlCredential,
  resolveSecret,
} from './handshake';
export type { HandshakeMessage, HandshakeRole, ChallengeMessage, AuthMessage, AcceptedMessage, RefusedMessage, ProofInput } from './handshake';
export { ProtocolError, PROTOCOL_ERROR_CODES } from './errors';
export type { ProtocolErrorCode } from './errors';
