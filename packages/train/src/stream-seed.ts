/** Mixes seed, epoch and rank into one 32-bit seed for the augmentation stream. */
export function streamSeed(seed: number, epoch: number, rank: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const v of [epoch, rank]) {
    h = Math.imul(h ^ (v + 0x7f4a7c15), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return h >>> 0;
}
