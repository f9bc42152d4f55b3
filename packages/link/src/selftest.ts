import { attemptTimeMs, idleTransfer, saturatedGoodputBps } from './airtime';
import { channelMixture, type ChannelAtom } from './channel-mixture';
import type { LinkConfig } from './config';
import { FadeProcess } from './fade-process';
import { GilbertElliott } from './gilbert-elliott';
import { compareRuns, quantile, runs, standardError, type RunLengthComparison } from './run-lengths';
import { linkView } from './path-loss';
import { createStream, type RandomStream } from '@wearnet/random';
import { probeLatencyAnalytic } from './probe-latency';
import { saturatedAnalytic } from './saturated-analytic';
import { BodyTimeline, type AttemptRecord, type LossChannel } from './timeline';

/** Options of {@link runSelftest}. */
export interface SelftestOptions {
  link: LinkConfig;
  /** Seed of the run (the reference realisations derive their own streams from it). */
  seed: number;
  /** Link ids; default `device-0` .. `device-7`. */
  links?: readonly string[];
  /** Frame attempts of the saturated phase, over all links; default 100 000. */
  frames?: number;
  /** Idle latency probes per link; default 200. */
  probesPerLink?: number;
  /** Payload of a latency probe, bytes; default 160 (a float32 vector of 40). */
  probeBytes?: number;
  /** Independent realisations of the configured channel drawn as the reference sample; default 4. */
  referenceRuns?: number;
  /** An extra channel per link (a recorded trace); a fresh one per call. */
  channelFor?: (linkId: string) => LossChannel | undefined;
  /** Stationary states of `channelFor(linkId)` for the analytic figures (a trace's samples). */
  extraAtomsFor?: (linkId: string) => readonly ChannelAtom[] | undefined;
}

/** Outcome of {@link runSelftest}: configured against measured. */
export interface SelftestReport {
  preset: string;
  seed: number;
  links: number;
  attempts: number;
  /** Modelled time of the saturated phase, ms. */
  durationMs: number;
  /** Mean per-attempt loss; `standardError` from the spread of the per-link errors (measured - configured; links are independent realisations). */
  loss: { configured: number; measured: number; relativeError: number; standardError: number };
  /** Runs of consecutive lost attempts on a link, in attempts. */
  bursts: RunLengthComparison;
  /** Runs of consecutive successful attempts on a link, in attempts. */
  gaps: RunLengthComparison;
  /** Times a saturating link went without delivering a frame. */
  outages: { longestMs: number; over125Ms: number; p99Ms: number };
  goodput: { losslessBps: number; analyticBps: number; measuredBps: number; relativeError: number };
  /**
   * Lone probes on an idle medium: the lossless bound, the analytic p50/p99 under the channel's
   * states (exact for single-frame probes, see `probeLatencyAnalytic`), and the measured ones; ms.
   */
  latency: {
    probes: number;
    delivered: number;
    boundMs: number;
    expectedP50Ms: number;
    expectedP99Ms: number;
    /** Where a sample quantile of this many probes falls with 99 % probability: analytic quantiles at q -+ 2.58 sqrt(q(1-q)/n). */
    p50BandMs: [number, number];
    p99BandMs: [number, number];
    p50Ms: number;
    p99Ms: number;
  };
  /** Per link: configured and measured attempt loss. */
  perLink: { linkId: string; configuredLoss: number; measuredLoss: number }[];
}

interface Attempt {
  startMs: number;
  dataEndMs: number;
  lost: boolean;
}

/**
 * Runs the body timeline alone with synthetic traffic and measures it against its configuration.
 * Saturated phase: each link in turn keeps the medium busy with full single-frame messages
 * (`frames / links` attempts each, the other links silent while their channels evolve); measured
 * attempt loss, loss-burst and gap lengths, outages and goodput are compared with the analytic
 * figures ({@link saturatedAnalytic}) and with a reference sample: independent realisations of the
 * configured channel (fresh processes, other streams) evaluated at the same attempt times.
 * Latency phase: lone probes on an idle medium against the lossless bound (+ mean first backoff).
 * Pure and deterministic for a seed.
 */
export function runSelftest(options: SelftestOptions): SelftestReport {
  const link = options.link;
  const ids = options.links ?? Array.from({ length: 8 }, (_, i) => `device-${i}`);
  if (ids.length === 0) throw new RangeError('links must name at least one link');
  const frames = options.frames ?? 100000;
  if (!Number.isSafeInteger(frames) || frames < ids.length)
    throw new RangeError(`frames must be an integer of at least the number of links, got ${String(frames)}`);
  const referenceRuns = options.referenceRuns ?? 4;
  const perLinkAttempts = new Map<string, Attempt[]>(ids.map((id) => [id, []]));
  const timeline = new BodyTimeline({
    link,
    seed: options.seed,
    channelFor: options.channelFor,
    onAttempt: (r: AttemptRecord) => perLinkAttempts.get(r.linkId)?.push({ startMs: r.startMs, dataEndMs: r.dataEndMs, lost: r.lost }),
  });
  for (const id of ids) timeline.addLink(id);
  const startMs = timeline.busyUntilMs;
  let deliveredBits = 0;
  const quota = Math.floor(frames / ids.length);
  for (const id of ids) {
    const attempts = perLinkAttempts.get(id) as Attempt[];
    while (attempts.length < quota) {
      const result = timeline.transmit({ linkId: id, direction: 'uplink', payloadBytes: link.framePayloadBytes, readyAtMs: timeline.busyUntilMs });
      if (result.delivered) deliveredBits += link.framePayloadBytes * 8;
    }
  }
  const durationMs = timeline.busyUntilMs - startMs;

  // Reference: the configured channel, realised afresh, at the measured attempt times.
  const measuredBursts: number[] = [];
  const measuredGaps: number[] = [];
  const referenceBursts: number[] = [];
  const referenceGaps: number[] = [];
  const outages: number[] = [];
  let lost = 0;
  let attemptsTotal = 0;
  const perLink: SelftestReport['perLink'] = [];
  let analyticBits = 0;
  let analyticMs = 0;
  let configuredLost = 0;
  for (const id of ids) {
    const attempts = perLinkAttempts.get(id) as Attempt[];
    runs(
      attempts.map((a) => a.lost),
      measuredBursts,
      measuredGaps,
    );
    outages.push(...outagesOf(attempts));
    const linkLost = attempts.filter((a) => a.lost).length;
    lost += linkLost;
    attemptsTotal += attempts.length;
    const extra = options.extraAtomsFor?.(id);
    const view = linkView(link, id);
    const analytic = saturatedAnalytic(view, channelMixture(view, extra ? [extra] : []));
    perLink.push({ linkId: id, configuredLoss: analytic.attemptLoss, measuredLoss: linkLost / attempts.length });
    configuredLost += analytic.attemptLoss * attempts.length;
    const ms = attempts.length === 0 ? 0 : attempts[attempts.length - 1].dataEndMs - attempts[0].startMs;
    analyticBits += (analytic.goodputBps * ms) / 1000;
    analyticMs += ms;
  }
  // Links saturate in turn (back to back in the reference's own time), so one shared body-wide
  // process is queried in time order across links.
  for (let run = 0; run < referenceRuns; run += 1) {
    const body = link.bodyFade ? new FadeProcess(link.bodyFade, createStream(options.seed, `reference/${run}/*/fade`), 0) : null;
    let t = startMs;
    for (const id of ids) {
      const view = linkView(link, id);
      const channels = configuredChannels(view, options, id, run);
      const own = view.bodyFade;
      if (body && own) channels.push({ stateAt: (t) => body.stateAt(t), lossAt: (t) => (body.stateAt(t) === 'bad' ? own.lossInFade : own.lossInClear) });
      const reference = referenceMac(
        view,
        channels,
        createStream(options.seed, `reference/${run}/${id}/loss`),
        t,
        (perLinkAttempts.get(id) as Attempt[]).length,
      );
      t = reference.endMs;
      runs(reference.lost, referenceBursts, referenceGaps);
    }
  }

  const latency = probeLatency(options, ids);
  const configuredLoss = configuredLost / attemptsTotal;
  const measuredLoss = lost / attemptsTotal;
  const analyticBps = analyticMs === 0 ? 0 : (analyticBits * 1000) / analyticMs;
  const measuredBps = durationMs === 0 ? 0 : (deliveredBits * 1000) / durationMs;
  outages.sort((a, b) => a - b);
  return {
    preset: link.preset,
    seed: options.seed,
    links: ids.length,
    attempts: attemptsTotal,
    durationMs,
    loss: {
      configured: configuredLoss,
      measured: measuredLoss,
      relativeError: relative(measuredLoss, configuredLoss),
      standardError: standardError(perLink.map((p) => p.measuredLoss - p.configuredLoss)),
    },
    bursts: compareRuns(measuredBursts, referenceBursts),
    gaps: compareRuns(measuredGaps, referenceGaps),
    outages: { longestMs: outages.at(-1) ?? 0, over125Ms: outages.filter((o) => o > 125).length, p99Ms: quantile(outages, 0.99) },
    goodput: { losslessBps: saturatedGoodputBps(link), analyticBps, measuredBps, relativeError: relative(measuredBps, analyticBps) },
    latency,
    perLink,
  };
}

/**
 * The configured model in its simplest form, independent of the timeline: one link sending full
 * single-frame messages back to back, each attempt after its backoff, lost with the combined
 * probability of the steady loss and the channels, retried up to `maxRetries` times.
 */
function referenceMac(
  link: LinkConfig,
  channels: readonly LossChannel[],
  stream: RandomStream,
  startMs: number,
  attempts: number,
): { lost: boolean[]; endMs: number } {
  const lost: boolean[] = [];
  const retries = link.ackBytes > 0 ? link.maxRetries : 0;
  const attemptMs = attemptTimeMs(link, link.framePayloadBytes);
  let t = startMs;
  let k = 0;
  while (lost.length < attempts) {
    if (link.backoff) t += Math.floor(stream.next() * Math.min(link.backoff.cwMax, link.backoff.cwMin * 2 ** k)) * link.backoff.slotMs;
    let keep = 1 - link.lossProbability;
    for (const c of channels) keep *= 1 - c.lossAt(t);
    const isLost = stream.next() >= keep;
    lost.push(isLost);
    t += attemptMs;
    k = isLost && k < retries ? k + 1 : 0;
  }
  return { lost, endMs: t };
}

function configuredChannels(link: LinkConfig, options: SelftestOptions, id: string, run: number): LossChannel[] {
  const channels: LossChannel[] = [];
  if (link.burst) channels.push(new GilbertElliott(link.burst, createStream(options.seed, `reference/${run}/${id}/channel`), 0));
  if (link.fade) channels.push(new FadeProcess(link.fade, createStream(options.seed, `reference/${run}/${id}/fade`), 0));
  const extra = options.channelFor?.(id);
  if (extra) channels.push(extra);
  return channels;
}

function probeLatency(options: SelftestOptions, ids: readonly string[]): SelftestReport['latency'] {
  const link = options.link;
  const bytes = options.probeBytes ?? 160;
  const perLink = options.probesPerLink ?? 200;
  const timeline = new BodyTimeline({ link, seed: options.seed + 1, channelFor: options.channelFor });
  for (const id of ids) timeline.addLink(id);
  const idle = idleTransfer(link, bytes);
  const spacingMs = 20 * idle.occupancyMs * (link.maxRetries + 1) + 10;
  const latencies: number[] = [];
  let t = 0;
  for (let i = 0; i < perLink; i += 1) {
    for (const id of ids) {
      t = Math.max(t + spacingMs, timeline.busyUntilMs + spacingMs);
      const result = timeline.transmit({ linkId: id, direction: 'uplink', payloadBytes: bytes, readyAtMs: t });
      if (result.delivered) latencies.push(result.atMs - t);
    }
  }
  latencies.sort((a, b) => a - b);
  // Probes visit every link equally often: the states are the links' mixtures, each weighted 1 / links.
  const states = ids.flatMap((id) => {
    const extra = options.extraAtomsFor?.(id);
    return channelMixture(linkView(link, id), extra ? [extra] : []).map((a) => ({ loss: a.loss, weight: a.weight / ids.length }));
  });
  const analytic = probeLatencyAnalytic(link, states, bytes);
  return {
    probes: perLink * ids.length,
    delivered: latencies.length,
    boundMs: idle.deliveryMs,
    expectedP50Ms: analytic.p50Ms,
    expectedP99Ms: analytic.p99Ms,
    p50BandMs: band(analytic.quantile, 0.5, latencies.length),
    p99BandMs: band(analytic.quantile, 0.99, latencies.length),
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
  };
}

/** Times from one delivered frame to the next on a saturating link that exceed the lossless spacing, ms. */
function outagesOf(attempts: readonly Attempt[]): number[] {
  const out: number[] = [];
  let lastOk: number | null = null;
  let lostSince = false;
  for (const a of attempts) {
    if (a.lost) {
      lostSince = true;
      continue;
    }
    if (lastOk !== null && lostSince) out.push(a.dataEndMs - lastOk);
    lastOk = a.dataEndMs;
    lostSince = false;
  }
  return out;
}

function band(quantileOf: (q: number) => number, q: number, n: number): [number, number] {
  const half = n === 0 ? 0 : 2.58 * Math.sqrt((q * (1 - q)) / n);
  return [quantileOf(Math.max(0, q - half)), quantileOf(Math.min(1, q + half))];
}

function relative(measured: number, configured: number): number {
  return configured === 0 ? (measured === 0 ? 0 : Infinity) : (measured - configured) / configured;
}
