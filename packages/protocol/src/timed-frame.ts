import { ProtocolError } from './errors';

/** Bytes of the timed-frame header: one little-endian float64 (modelled ms). */
export const TIMED_FRAME_HEADER_BYTES = 8;

/**
 * Bytes a peer-addressed frame (device -> medium -> another device) adds before its timed-frame
 * header: an 8-byte marker (a NaN, which a plain timed frame can never start with), the length of
 * the receiver's id (1 byte) and the id (at most 64 bytes).
 */
export const PEER_FRAME_EXTRA_BYTES = 73;

/** The marker: float64 NaN bits 0x7ff8000052454550 little-endian ("PEER" in the low bytes). */
const PEER_MARKER = Uint8Array.from([0x50, 0x45, 0x45, 0x52, 0x00, 0x00, 0xf8, 0x7f]);
const PEER_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** A device message on the device <-> medium leg, stamped with a modelled time. */
export interface TimedFrame {
  /** Device -> medium: modelled time the message is ready to send. Medium -> device: modelled delivery time. ms. */
  atMs: number;
  /** The encoded device message, opaque to the medium. */
  payload: Uint8Array;
  /**
   * Device -> medium only: the device the message is for (MoDNN halo rows); absent = the hub.
   * The medium carries it to that device as one transmission on the shared body.
   */
  to?: string;
}

/**
 * Prefixes a payload with its modelled time (and, for a peer-addressed frame, the receiver). The
 * header models no real air bytes: the medium counts only `payload` as PHY payload.
 * @throws ProtocolError `E_INVALID_FRAME` when `to` is not a device id (`[A-Za-z0-9_.-]{1,64}`).
 */
export function encodeTimedFrame(frame: TimedFrame): Uint8Array {
  const to = frame.to;
  if (to !== undefined && !PEER_ID.test(to))
    throw new ProtocolError('E_INVALID_FRAME', `timed frame receiver ${JSON.stringify(to.slice(0, 70))} is not a device id`);
  const extra = to === undefined ? 0 : PEER_MARKER.length + 1 + to.length;
  const out = new Uint8Array(extra + TIMED_FRAME_HEADER_BYTES + frame.payload.length);
  if (to !== undefined) {
    out.set(PEER_MARKER, 0);
    out[PEER_MARKER.length] = to.length;
    out.set(Buffer.from(to, 'latin1'), PEER_MARKER.length + 1);
  }
  new DataView(out.buffer).setFloat64(extra, frame.atMs, true);
  out.set(frame.payload, extra + TIMED_FRAME_HEADER_BYTES);
  return out;
}

/**
 * Splits a timed frame (plain or peer-addressed). The payload is a view into `data`.
 * @param maxPayloadBytes largest payload accepted (a device message: `limits.maxMessageBytes`); default no limit.
 * @throws ProtocolError `E_INVALID_FRAME` when shorter than the header, the time is not finite or
 * the receiver is not a device id; `E_MESSAGE_TOO_LARGE` when the payload is larger than `maxPayloadBytes`.
 */
export function decodeTimedFrame(data: Uint8Array, maxPayloadBytes = Infinity): TimedFrame {
  if (!(data instanceof Uint8Array) || data.length < TIMED_FRAME_HEADER_BYTES) {
    throw new ProtocolError('E_INVALID_FRAME', `timed frame must be at least ${TIMED_FRAME_HEADER_BYTES} bytes`);
  }
  let at = 0;
  let to: string | undefined;
  if (PEER_MARKER.every((b, i) => data[i] === b)) {
    const length = data.length > PEER_MARKER.length ? data[PEER_MARKER.length] : 0;
    at = PEER_MARKER.length + 1 + length;
    to = Buffer.from(data.subarray(PEER_MARKER.length + 1, at)).toString('latin1');
    if (!PEER_ID.test(to) || data.length < at + TIMED_FRAME_HEADER_BYTES)
      throw new ProtocolError('E_INVALID_FRAME', 'peer-addressed timed frame has no valid receiver id');
  }
  if (data.length - at - TIMED_FRAME_HEADER_BYTES > maxPayloadBytes) {
    throw new ProtocolError('E_MESSAGE_TOO_LARGE', `timed frame payload is ${data.length - at - TIMED_FRAME_HEADER_BYTES} bytes, over ${maxPayloadBytes}`);
  }
  const atMs = new DataView(data.buffer, data.byteOffset, data.byteLength).getFloat64(at, true);
  if (!Number.isFinite(atMs)) throw new ProtocolError('E_INVALID_FRAME', 'timed frame time is not finite');
  const payload = data.subarray(at + TIMED_FRAME_HEADER_BYTES);
  return to === undefined ? { atMs, payload } : { atMs, payload, to };
}
