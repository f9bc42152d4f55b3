import { attemptTimeMs, frameCount, idleTransfer } from './airtime';
import type { ChannelAtom } from './channel-mixture';
import type { LinkConfig } from './config';
import { meanBackoffMs } from './saturated-analytic';

/** Analytic latency of a lone message on an idle medium (quantiles over delivered messages), ms. */
export interface ProbeLatencyAnalytic {
  /** Lossless, no backoff: the bound. */
  boundMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Quantile function of the latency, ms (q in [0, 1]). */
  quantile(q: number): number;
}

/**
 * The latency distribution of a lone message on an idle medium under the channel `states`
 * (quasi-static: a message's attempts see one state). A single-frame message delivered after `k`
 * retries takes the lossless delivery time + `k` attempts + `k + 1` backoffs (uniform slots in
 * [0, cw_j)); quantiles are exact over that mixture. A multi-frame message uses the bound plus the
 * mean first backoffs (an approximation, said in the field names' docs of the self-test).
 */
export function probeLatencyAnalytic(link: LinkConfig, states: readonly ChannelAtom[], payloadBytes: number): ProbeLatencyAnalytic {
  const idle = idleTransfer(link, payloadBytes);
  if (frameCount(link, payloadBytes) > 1) {
    let extra = 0;
    for (let f = 0; f < idle.frames; f += 1) extra += meanBackoffMs(link, 0);
    return { boundMs: idle.deliveryMs, p50Ms: idle.deliveryMs + extra, p99Ms: idle.deliveryMs + extra, quantile: () => idle.deliveryMs + extra };
  }
  const retries = link.ackBytes > 0 ? link.maxRetries : 0;
  const attemptMs = attemptTimeMs(link, payloadBytes);
  const atoms: { ms: number; p: number }[] = [];
  for (let k = 0; k <= retries; k += 1) {
    let reach = 0;
    for (const { weight, loss } of states) reach += weight * loss ** k * (1 - loss);
    if (reach <= 0) continue;
    const slots = backoffSlotsPmf(link, k);
    slots.forEach((ps, n) => {
      if (ps > 0) atoms.push({ ms: idle.deliveryMs + k * attemptMs + n * (link.backoff?.slotMs ?? 0), p: reach * ps });
    });
  }
  atoms.sort((a, b) => a.ms - b.ms);
  const total = atoms.reduce((s, a) => s + a.p, 0);
  const quantile = (q: number): number => {
    let acc = 0;
    for (const a of atoms) {
      acc += a.p / total;
      if (acc >= q - 1e-12) return a.ms;
    }
    return atoms.length === 0 ? idle.deliveryMs : atoms[atoms.length - 1].ms;
  };
  return { boundMs: idle.deliveryMs, p50Ms: quantile(0.5), p99Ms: quantile(0.99), quantile };
}

/** Distribution of the total backoff slots before attempts 0..k (a sum of uniforms on [0, cw_j)). */
function backoffSlotsPmf(link: LinkConfig, k: number): number[] {
  let pmf = [1];
  if (!link.backoff) return pmf;
  for (let j = 0; j <= k; j += 1) {
    const cw = Math.min(link.backoff.cwMax, link.backoff.cwMin * 2 ** j);
    const next = new Array<number>(pmf.length + cw - 1).fill(0);
    pmf.forEach((p, n) => {
      for (let s = 0; s < cw; s += 1) next[n + s] += p / cw;
    });
    pmf = next;
  }
  return pmf;
}
