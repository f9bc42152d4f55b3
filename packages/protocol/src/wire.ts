import { msgpackCodec, type Codec } from './codec';
import { ProtocolError } from './errors';
import type { HubMessage } from './hub-messages';
import { DEFAULT_LIMITS, maxHubFrameBytes, type Limits } from './limits';
import type { Message } from './messages';
import { parseHubMessage, parseMessage } from './parse';

/** Options of {@link encodeMessage} and {@link decodeMessage}. */
export interface WireOptions {
  /** Codec; default {@link msgpackCodec}. */
  codec?: Codec;
  /** Limits; default {@link DEFAULT_LIMITS}. */
  limits?: Limits;
}

/**
 * Encodes a message and checks the encoded size.
 * @throws ProtocolError `E_MESSAGE_TOO_LARGE` when the encoding exceeds `limits.maxMessageBytes`.
 */
export function encodeMessage(message: Message | HubMessage, options: WireOptions = {}): Uint8Array {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const encoded = (options.codec ?? msgpackCodec).encode(message);
  if (encoded.length > limits.maxMessageBytes) {
    throw new ProtocolError('E_MESSAGE_TOO_LARGE', `encoded ${message.type} is ${encoded.length} bytes, over maxMessageBytes ${limits.maxMessageBytes}`);
  }
  return encoded;
}

/**
 * Encodes a medium <-> hub message and checks its size against {@link maxHubFrameBytes}.
 * @throws ProtocolError `E_MESSAGE_TOO_LARGE`.
 */
export function encodeHubMessage(message: HubMessage, options: WireOptions = {}): Uint8Array {
  const limits = options.limits ?? DEFAULT_LIMITS;
  return encodeMessage(message, { ...options, limits: hubLimits(limits) });
}

/**
 * Size-checks, decodes and validates device <-> aggregator bytes; nothing unvalidated escapes.
 * @throws ProtocolError with a stable code; never anything else.
 */
export function decodeMessage(data: Uint8Array, options: WireOptions = {}): Message {
  const limits = options.limits ?? DEFAULT_LIMITS;
  return parseMessage(decodeUnknown(data, options.codec ?? msgpackCodec, limits), limits);
}

/**
 * Size-checks, decodes and validates medium <-> hub bytes.
 * @throws ProtocolError with a stable code; never anything else.
 */
export function decodeHubMessage(data: Uint8Array, options: WireOptions = {}): HubMessage {
  const limits = options.limits ?? DEFAULT_LIMITS;
  return parseHubMessage(decodeUnknown(data, options.codec ?? msgpackCodec, hubLimits(limits)), limits);
}

/** A hub message wraps one device message in a small envelope. */
function hubLimits(limits: Limits): Limits {
  return { ...limits, maxMessageBytes: maxHubFrameBytes(limits) };
}

function decodeUnknown(data: Uint8Array, codec: Codec, limits: Limits): unknown {
  if (!(data instanceof Uint8Array)) throw new ProtocolError('E_DECODE_FAILED', 'expected bytes');
  if (data.length > limits.maxMessageBytes) {
    throw new ProtocolError('E_MESSAGE_TOO_LARGE', `message is ${data.length} bytes, over maxMessageBytes ${limits.maxMessageBytes}`);
  }
  try {
    return codec.decode(data);
  } catch (err) {
    throw new ProtocolError('E_DECODE_FAILED', `${codec.name} decode failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
