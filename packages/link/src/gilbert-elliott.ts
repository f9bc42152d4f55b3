import type { BurstConfig } from './config';
import { exponential, type RandomStream } from '@wearnet/random';

/** State of a Gilbert-Elliott channel. */
export type ChannelState = 'good' | 'bad';

/**
 * A two-state (good/bad) channel whose state evolves in modelled time: holding times are
 * exponential with the configured means, so a fade lasts a time, not a number of frames.
 * Queries must come in non-decreasing time; an earlier time sees the current state.
 */
export class GilbertElliott {
  private state: ChannelState;
  private changeAtMs: number;

  /** Starts at `startMs` in the stationary distribution (bad with probability bad/(good+bad)). */
  constructor(
    private readonly config: BurstConfig,
    private readonly stream: RandomStream,
    startMs = 0,
  ) {
    const pBad = config.badMeanMs / (config.goodMeanMs + config.badMeanMs);
    this.state = stream.next() < pBad ? 'bad' : 'good';
    this.changeAtMs = startMs + exponential(stream, this.meanMs(this.state));
  }

  /** Channel state at modelled time `atMs`. */
  stateAt(atMs: number): ChannelState {
    while (atMs >= this.changeAtMs) {
      this.state = this.state === 'good' ? 'bad' : 'good';
      this.changeAtMs += exponential(this.stream, this.meanMs(this.state));
    }
    return this.state;
  }

  /** Frame loss probability at modelled time `atMs`. */
  lossAt(atMs: number): number {
    return this.stateAt(atMs) === 'bad' ? this.config.lossInBad : this.config.lossInGood;
  }

  private meanMs(state: ChannelState): number {
    return state === 'good' ? this.config.goodMeanMs : this.config.badMeanMs;
  }
}
