import type { LinkConfig } from './config';
import { standardNormal } from './duration';
import { FadeProcess } from './fade-process';
import { GilbertElliott } from './gilbert-elliott';
import { createStream } from '@wearnet/random';
import type { ChannelTrace } from './trace';
import type { LossChannel } from './timeline';

/** Options of {@link synthesizeGainTrace}. */
export interface SynthesizeTraceOptions {
  /** The link whose channels (burst, fade, body-wide fade) decide when each link is in a fade. */
  link: LinkConfig;
  seed: number;
  /** Column (link) names. */
  links: readonly string[];
  /** Length, ms; default 10 000. */
  durationMs?: number;
  /** Sample spacing, ms; default 5 (200 samples/s, the rate of the NICTA/CSIRO open BAN testbed). */
  sampleMs?: number;
  /** Mean gain between fades, dB; default -60. */
  clearGainDb?: number;
  /** Mean gain during a fade, dB; default -95 (below the default -85 dB threshold). */
  fadeGainDb?: number;
  /** Standard deviation of the per-sample gain around its mean, dB; default 2. */
  jitterDb?: number;
}

/**
 * A synthetic per-link gain trace (the repo's own tool for a trace to test replay with): each
 * sample is the clear or the fade gain, by whether any of the link's channels is in a bad state
 * at that time, plus Gaussian jitter. Deterministic for a seed.
 */
export function synthesizeGainTrace(options: SynthesizeTraceOptions): ChannelTrace {
  const { link, seed } = options;
  const durationMs = options.durationMs ?? 10000;
  const sampleMs = options.sampleMs ?? 5;
  if (!(durationMs > 0) || !(sampleMs > 0)) throw new RangeError('durationMs and sampleMs must be positive');
  const clear = options.clearGainDb ?? -60;
  const faded = options.fadeGainDb ?? -95;
  const jitter = options.jitterDb ?? 2;
  const samples = Math.ceil(durationMs / sampleMs);
  const timesMs = Float64Array.from({ length: samples }, (_, i) => i * sampleMs);
  const body = link.bodyFade ? new FadeProcess(link.bodyFade, createStream(seed, 'trace/*/fade')) : null;
  const bodyBad = body ? Array.from(timesMs, (t) => body.stateAt(t) === 'bad') : null;
  const columns = new Map<string, Float64Array>();
  for (const id of options.links) {
    const channels: LossChannel[] = [];
    if (link.burst) channels.push(new GilbertElliott(link.burst, createStream(seed, `trace/${id}/channel`)));
    if (link.fade) channels.push(new FadeProcess(link.fade, createStream(seed, `trace/${id}/fade`)));
    const noise = createStream(seed, `trace/${id}/jitter`);
    columns.set(
      id,
      Float64Array.from(timesMs, (t, i) => {
        const bad = (bodyBad?.[i] ?? false) || channels.some((c) => c.stateAt(t) === 'bad');
        return (bad ? faded : clear) + jitter * standardNormal(noise);
      }),
    );
  }
  return { kind: 'gain-db', timesMs, columns, durationMs: samples * sampleMs };
}
