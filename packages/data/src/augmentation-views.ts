import { optionError } from './errors';
import { createRng } from '@wearnet/random';

/** Options of {@link augmentationViews}. */
export interface AugmentationViewsOptions {
  /** Images per view. */
  count: number;
  /** Views per image. */
  views: number;
  /** Seed of the draws (unsigned 32-bit). */
  seed: number;
  /** Padding of the random crop, pixels; default 4. */
  cropPadding?: number;
  /** Random horizontal flip; default true. */
  flip?: boolean;
}

/**
 * Precomputed training augmentations: `views` fixed (dy, dx, mirror) triples per image, so that work
 * that depends only on the augmented image (a frozen teacher's outputs) can be computed once per view
 * and reused. Entry `(v * count + i) * 3` holds dy, dx, mirror of view v of image i; view v draws
 * from its own stream (seed, v), image by image in index order, in the order of `fillBatch`'s random
 * augmentation (dy, dx, then mirror).
 */
export function augmentationViews(options: AugmentationViewsOptions): Int8Array {
  const { count, views, seed } = options;
  const padding = options.cropPadding ?? 4;
  const flip = options.flip ?? true;
  if (!(Number.isInteger(count) && count >= 1)) throw optionError('count', `must be a positive integer, got ${String(count)}`);
  if (!(Number.isInteger(views) && views >= 1 && views <= 1024)) throw optionError('views', `must be an integer in 1..1024, got ${String(views)}`);
  if (!(Number.isInteger(padding) && padding >= 0 && padding <= 32)) throw optionError('cropPadding', `must be an integer in 0..32, got ${String(padding)}`);
  const out = new Int8Array(views * count * 3);
  const span = 2 * padding + 1;
  for (let v = 0; v < views; v++) {
    const rng = createRng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(v + 1, 0x85ebca6b)) >>> 0);
    for (let i = 0; i < count; i++) {
      const o = (v * count + i) * 3;
      out[o] = padding > 0 ? rng.nextInt(span) - padding : 0;
      out[o + 1] = padding > 0 ? rng.nextInt(span) - padding : 0;
      out[o + 2] = flip ? rng.nextInt(2) : 0;
    }
  }
  return out;
}
