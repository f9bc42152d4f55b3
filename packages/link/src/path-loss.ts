import type { BurstConfig, FadeConfig, LinkConfig, PathLossConfig } from './config';

/** Extra path loss of `linkId`'s pair (its position and the hub's) over the reference pair, dB; 0 without a position. */
export function pairLossDb(pathLoss: PathLossConfig | null, linkId: string): number {
  if (!pathLoss) return 0;
  const position = pathLoss.devices[linkId];
  if (position === undefined || position === pathLoss.hub) return 0;
  return pathLoss.pairsDb[`${pathLoss.hub}-${position}`] ?? pathLoss.pairsDb[`${position}-${pathLoss.hub}`] ?? 0;
}

/**
 * A loss probability `p` at the reference pair, seen `db` dB further down: the Rayleigh outage
 * `1 - exp(-x)` with `x` the threshold-to-mean SNR ratio, which `db` multiplies by `10^(db/10)`:
 * `1 - (1 - p)^(10^(db/10))`. 0 and 1 stay put; 0 dB changes nothing.
 */
export function scaleLoss(p: number, db: number): number {
  if (db === 0 || p === 0 || p === 1) return p;
  return -Math.expm1(10 ** (db / 10) * Math.log1p(-p));
}

function scaleFade(fade: FadeConfig | null, db: number): FadeConfig | null {
  return fade && { ...fade, lossInFade: scaleLoss(fade.lossInFade, db), lossInClear: scaleLoss(fade.lossInClear, db) };
}

function scaleBurst(burst: BurstConfig | null, db: number): BurstConfig | null {
  return burst && { ...burst, lossInGood: scaleLoss(burst.lossInGood, db), lossInBad: scaleLoss(burst.lossInBad, db) };
}

/**
 * The link config as one link sees it: every loss probability (steady, burst, per-link and
 * body-wide fade) scaled by the link's pair path loss. The body-wide fade keeps its timing (one
 * process for the body); only how much it hurts this link changes. Identity without a position.
 */
export function linkView(link: LinkConfig, linkId: string): LinkConfig {
  const db = pairLossDb(link.pathLoss, linkId);
  if (db === 0) return link;
  return {
    ...link,
    lossProbability: scaleLoss(link.lossProbability, db),
    burst: scaleBurst(link.burst, db),
    fade: scaleFade(link.fade, db),
    bodyFade: scaleFade(link.bodyFade, db),
  };
}
