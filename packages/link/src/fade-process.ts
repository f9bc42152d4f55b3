import type { FadeConfig } from './config';
import { sampleDuration, sampleResidual, type DurationDistribution } from './duration';
import type { ChannelState } from './gilbert-elliott';
import type { RandomStream } from '@wearnet/random';

/** One completed fade or non-fade period, for statistics. */
export interface FadePeriod {
  state: ChannelState;
  startMs: number;
  durationMs: number;
}

/** The fade and non-fade duration distributions of a fade config. */
export function fadeDistributions(config: FadeConfig): { fade: DurationDistribution; clear: DurationDistribution } {
  return {
    fade: { kind: config.distribution, meanMs: config.fadeMeanMs, sigma: config.fadeSigma },
    clear: { kind: config.distribution, meanMs: config.clearMeanMs, sigma: config.clearSigma },
  };
}

/** Long-run fraction of time in a fade: fadeMean / (fadeMean + clearMean) (renewal-reward). */
export function fadeTimeFraction(config: FadeConfig): number {
  return config.fadeMeanMs / (config.fadeMeanMs + config.clearMeanMs);
}

/**
 * Alternating fade / non-fade periods in modelled time with lognormal (or exponential) durations:
 * the second-order model of measured body-area channels (fade and non-fade durations fit a
 * two-parameter lognormal; Smith and Hanlen, EuCAP 2014, on the NICTA/CSIRO open data). The state
 * is `bad` during a fade. Starts stationary: in a fade with the long-run fade fraction, with the
 * residual life of the current period. Queries must come in non-decreasing time.
 */
export class FadeProcess {
  private state: ChannelState;
  private periodStartMs: number;
  private changeAtMs: number;
  private readonly distributions: { fade: DurationDistribution; clear: DurationDistribution };

  constructor(
    private readonly config: FadeConfig,
    private readonly stream: RandomStream,
    startMs = 0,
    private readonly onPeriod?: (period: FadePeriod) => void,
  ) {
    this.distributions = fadeDistributions(config);
    this.state = stream.next() < fadeTimeFraction(config) ? 'bad' : 'good';
    this.periodStartMs = startMs;
    this.changeAtMs = startMs + sampleResidual(this.distributionOf(this.state), stream);
  }

  /** Channel state at modelled time `atMs` (`bad` = in a fade). */
  stateAt(atMs: number): ChannelState {
    while (atMs >= this.changeAtMs) {
      this.onPeriod?.({ state: this.state, startMs: this.periodStartMs, durationMs: this.changeAtMs - this.periodStartMs });
      this.state = this.state === 'good' ? 'bad' : 'good';
      this.periodStartMs = this.changeAtMs;
      this.changeAtMs += sampleDuration(this.distributionOf(this.state), this.stream);
    }
    return this.state;
  }

  /** Per-attempt frame loss probability at modelled time `atMs`. */
  lossAt(atMs: number): number {
    return this.stateAt(atMs) === 'bad' ? this.config.lossInFade : this.config.lossInClear;
  }

  private distributionOf(state: ChannelState): DurationDistribution {
    return state === 'bad' ? this.distributions.fade : this.distributions.clear;
  }
}
