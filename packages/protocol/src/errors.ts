/**
 * Stable codes of errors raised while decoding or validating wire data.
 *
 * - `E_MESSAGE_TOO_LARGE`: the encoded message is larger than `maxMessageBytes`.
 * - `E_DECODE_FAILED`: the bytes are not valid for the codec (msgpack or JSON).
 * - `E_INVALID_MESSAGE`: the decoded value does not match any message shape.
 * - `E_UNSUPPORTED_VERSION`: the message carries a protocol version other than {@link PROTOCOL_VERSION}.
 * - `E_UNKNOWN_TYPE`: the message `type` is not part of the union.
 * - `E_VECTOR_TOO_LONG`: a result vector is longer than `maxVectorLength`.
 * - `E_INVALID_FRAME`: a timed frame is shorter than its header or carries a non-finite time.
 */
export type ProtocolErrorCode =
  'E_MESSAGE_TOO_LARGE' | 'E_DECODE_FAILED' | 'E_INVALID_MESSAGE' | 'E_UNSUPPORTED_VERSION' | 'E_UNKNOWN_TYPE' | 'E_VECTOR_TOO_LONG' | 'E_INVALID_FRAME';

/** Every {@link ProtocolErrorCode}, for tests and documentation. */
export const PROTOCOL_ERROR_CODES: readonly ProtocolErrorCode[] = [
  'E_MESSAGE_TOO_LARGE',
  'E_DECODE_FAILED',
  'E_INVALID_MESSAGE',
  'E_UNSUPPORTED_VERSION',
  'E_UNKNOWN_TYPE',
  'E_VECTOR_TOO_LONG',
  'E_INVALID_FRAME',
];

/** Error raised by the protocol package; `code` is stable, `path` names the offending field when known. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  /** Stable machine-readable code. */
  readonly code: ProtocolErrorCode;
  /** Dotted path of the offending field (for example `vector.length`), empty for the whole message. */
  readonly path: string;

  constructor(code: ProtocolErrorCode, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path ?? '';
  }
}
