import { ProtocolError } from './errors';

/** Bytes of the timed-frame header: one little-endian float64 (modelled ms). */
export const TIMED_FRAME_HEADER_BYTES = 8;

/** A device message on the device <-> medium leg, stamped with a modelled time. */
export interface TimedFrame {
  /** Device -> medium: modelled time the message is ready to send. Medium -> device: modelled delivery time. ms. */
  atMs: number;
  /** The encoded device message, opaque to the medium. */
  payload: Uint8Array;
}

/**
 * Prefixes a payload with its modelled time. The header models no real air bytes: the medium
 * counts only `payload` as PHY payload.
 */
export function encodeTimedFrame(frame: TimedFrame): Uint8Array {
  const out = new Uint8Array(TIMED_FRAME_HEADER_BYTES + frame.payload.length);
  new DataView(out.buffer).setFloat64(0, frame.atMs, true);
  out.set(frame.payload, TIMED_FRAME_HEADER_BYTES);
  return out;
}

/**
 * Splits a timed frame. The payload is a view into `data`.
 * @param maxPayloadBytes largest payload accepted (a device message: `limits.maxMessageBytes`); default no limit.
 * @throws ProtocolError `E_INVALID_FRAME` when shorter than the header or the time is not finite;
 * `E_MESSAGE_TOO_LARGE` when the payload is larger than `maxPayloadBytes`.
 */
export function decodeTimedFrame(data: Uint8Array, maxPayloadBytes = Infinity): TimedFrame {
  if (!(data instanceof Uint8Array) || data.length < TIMED_FRAME_HEADER_BYTES) {
    throw new ProtocolError('E_INVALID_FRAME', `timed frame must be at least ${TIMED_FRAME_HEADER_BYTES} bytes`);
  }
  if (data.length - TIMED_FRAME_HEADER_BYTES > maxPayloadBytes) {
    throw new ProtocolError('E_MESSAGE_TOO_LARGE', `timed frame payload is ${data.length - TIMED_FRAME_HEADER_BYTES} bytes, over ${maxPayloadBytes}`);
  }
  const atMs = new DataView(data.buffer, data.byteOffset, data.byteLength).getFloat64(0, true);
  if (!Number.isFinite(atMs)) throw new ProtocolError('E_INVALID_FRAME', 'timed frame time is not finite');
  return { atMs, payload: data.subarray(TIMED_FRAME_HEADER_BYTES) };
}
