import type { LinkConfig } from './config';

/** Number of PHY frames a message of `payloadBytes` needs (an empty message still takes one frame). */
export function frameCount(link: LinkConfig, payloadBytes: number): number {
  return Math.max(1, Math.ceil(payloadBytes / link.framePayloadBytes));
}

/** Payload bytes carried by frame `index` (0-based) of a message of `payloadBytes`. */
export function framePayload(link: LinkConfig, payloadBytes: number, index: number): number {
  const full = link.framePayloadBytes;
  return Math.min(full, Math.max(0, payloadBytes - index * full));
}

/** Airtime of one data frame carrying `payloadBytes` (at most one frame's payload): PHY overhead + (payload + MAC overhead) bits / rate; ms. */
export function frameAirtimeMs(link: LinkConfig, payloadBytes: number, rateFactor = 1): number {
  return link.phyOverheadMs + ((payloadBytes + link.frameOverheadBytes) * 8 * 1000) / (link.phyRateBps * rateFactor);
}

/** Airtime of one immediate ACK frame, ms; 0 when ACKs are disabled. */
export function ackAirtimeMs(link: LinkConfig, rateFactor = 1): number {
  return link.ackBytes > 0 ? link.phyOverheadMs + (link.ackBytes * 8 * 1000) / (link.phyRateBps * rateFactor) : 0;
}

/**
 * Medium occupancy of one attempt of a frame (no backoff): data frame, IFS, ACK (or ACK timeout
 * of the same length when the frame is lost), IFS; without ACKs, data frame + IFS. ms.
 */
export function attemptTimeMs(link: LinkConfig, payloadBytes: number, rateFactor = 1): number {
  const ack = link.ackBytes > 0 ? link.ifsMs + ackAirtimeMs(link, rateFactor) : 0;
  return frameAirtimeMs(link, payloadBytes, rateFactor) + ack + link.ifsMs;
}

/** Lossless transfer of one message on an idle medium, without backoff. */
export interface IdleTransfer {
  /** PHY frames. */
  frames: number;
  /** From the start of the first frame to the end of the last data frame (when the receiver has the message), ms. */
  deliveryMs: number;
  /** From the start of the first frame until the medium is free again (last ACK and IFS included), ms. */
  occupancyMs: number;
}

/** The analytic lossless transfer time of a message of `payloadBytes` on an idle medium. */
export function idleTransfer(link: LinkConfig, payloadBytes: number): IdleTransfer {
  const frames = frameCount(link, payloadBytes);
  let occupancyMs = 0;
  for (let i = 0; i < frames; i += 1) occupancyMs += attemptTimeMs(link, framePayload(link, payloadBytes, i));
  const last = framePayload(link, payloadBytes, frames - 1);
  const deliveryMs = occupancyMs - (attemptTimeMs(link, last) - frameAirtimeMs(link, last));
  return { frames, deliveryMs, occupancyMs };
}

/**
 * Saturated goodput: the PHY rate less the modelled overhead, i.e. payload bits of back-to-back
 * full frames over their occupancy, with no loss and no backoff; bit/s.
 */
export function saturatedGoodputBps(link: LinkConfig): number {
  return (link.framePayloadBytes * 8 * 1000) / attemptTimeMs(link, link.framePayloadBytes);
}
