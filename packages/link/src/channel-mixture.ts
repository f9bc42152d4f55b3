import type { LinkConfig } from './config';
import { fadeTimeFraction } from './fade-process';

/** One state of a channel and the long-run fraction of time it holds. */
export interface ChannelAtom {
  /** Long-run fraction of time, 0..1 (the atoms of one channel sum to 1). */
  weight: number;
  /** Per-attempt loss probability in that state. */
  loss: number;
}

/**
 * The stationary states of every channel of a link under `link` (Gilbert-Elliott burst, per-link
 * fade, body-wide fade), plus `extra` channels given as atoms (for example a trace's samples):
 * the product of the channels' states, each with its time fraction and its combined per-attempt
 * loss (steady loss included; independent events).
 */
export function channelMixture(link: LinkConfig, extra: readonly (readonly ChannelAtom[])[] = []): ChannelAtom[] {
  const channels: ChannelAtom[][] = [];
  if (link.burst) {
    const bad = link.burst.badMeanMs / (link.burst.goodMeanMs + link.burst.badMeanMs);
    channels.push([
      { weight: 1 - bad, loss: link.burst.lossInGood },
      { weight: bad, loss: link.burst.lossInBad },
    ]);
  }
  for (const fade of [link.fade, link.bodyFade]) {
    if (!fade) continue;
    const inFade = fadeTimeFraction(fade);
    channels.push([
      { weight: 1 - inFade, loss: fade.lossInClear },
      { weight: inFade, loss: fade.lossInFade },
    ]);
  }
  channels.push(...extra.map((atoms) => [...atoms]));
  let states: ChannelAtom[] = [{ weight: 1, loss: link.lossProbability }];
  for (const atoms of channels) {
    const next: ChannelAtom[] = [];
    for (const s of states) for (const a of atoms) if (a.weight > 0) next.push({ weight: s.weight * a.weight, loss: 1 - (1 - s.loss) * (1 - a.loss) });
    states = merge(next);
  }
  return states;
}

/** Merges atoms of (nearly) equal loss so products of many channels stay small. */
function merge(atoms: ChannelAtom[]): ChannelAtom[] {
  const byLoss = new Map<number, number>();
  for (const a of atoms) {
    const key = Math.round(a.loss * 1e9) / 1e9;
    byLoss.set(key, (byLoss.get(key) ?? 0) + a.weight);
  }
  return [...byLoss].map(([loss, weight]) => ({ loss, weight }));
}
