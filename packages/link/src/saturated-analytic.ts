import { attemptTimeMs } from './airtime';
import type { ChannelAtom } from './channel-mixture';
import type { LinkConfig } from './config';

/** Analytic behaviour of one link saturating the medium with full single-frame messages. */
export interface SaturatedAnalytic {
  /** Mean per-attempt frame loss (attempt-weighted over the channel states). */
  attemptLoss: number;
  /** Delivered payload bit/s. */
  goodputBps: number;
  /** Fraction of frames (messages) dropped after exhausting the retries. */
  dropRate: number;
}

/**
 * Quasi-static analysis: channel states last much longer than a frame's attempts, so within a
 * state `s` (loss `p`, time fraction `w`) a frame takes `sum_k p^k (attempt + backoff_k)` ms, is
 * dropped with probability `p^(R+1)` and makes `sum_k p^k` attempts. Goodput is
 * `sum_s w * payloadBits * (1 - p^(R+1)) / time_s` and the attempt loss
 * `sum_s w * p * rate_s / sum_s w * rate_s` with `rate_s` = attempts per ms in `s`. Without ACKs
 * a frame has one attempt. Exact for a static channel; fades of tens of ms or longer on frames of
 * a few ms make the error small.
 */
export function saturatedAnalytic(link: LinkConfig, states: readonly ChannelAtom[]): SaturatedAnalytic {
  const retries = link.ackBytes > 0 ? link.maxRetries : 0;
  const attempt = attemptTimeMs(link, link.framePayloadBytes);
  const bits = link.framePayloadBytes * 8;
  let goodputPerMs = 0;
  let lostRate = 0;
  let attemptRate = 0;
  let dropFrames = 0;
  let frames = 0;
  for (const { weight, loss } of states) {
    let attempts = 0;
    let timeMs = 0;
    for (let k = 0; k <= retries; k += 1) {
      const reach = loss ** k;
      attempts += reach;
      timeMs += reach * (attempt + meanBackoffMs(link, k));
    }
    const drop = loss ** (retries + 1);
    goodputPerMs += (weight * bits * (1 - drop)) / timeMs;
    attemptRate += (weight * attempts) / timeMs;
    lostRate += (weight * attempts * loss) / timeMs;
    frames += weight / timeMs;
    dropFrames += (weight * drop) / timeMs;
  }
  return { attemptLoss: lostRate / attemptRate, goodputBps: goodputPerMs * 1000, dropRate: dropFrames / frames };
}

/** Mean backoff before attempt `k` (0 = first), ms: `(cw - 1) / 2` slots, cw = min(cwMax, cwMin * 2^k). */
export function meanBackoffMs(link: LinkConfig, k: number): number {
  if (!link.backoff) return 0;
  const cw = Math.min(link.backoff.cwMax, link.backoff.cwMin * 2 ** k);
  return ((cw - 1) / 2) * link.backoff.slotMs;
}
