import type { Fusion } from '@wearnet/bundle';
import * as tf from '@tensorflow/tfjs';
import { optionError } from './errors';

/** The fusion layout of a distributed network. */
export interface FusionLayout {
  fusion: Fusion;
  /** Part of each device (K entries). */
  devicePart: number[];
  /** Vector width of each part (M entries). */
  partWidths: number[];
}

/** Checks a layout: parts in range and covered, concat has one device per part. */
export function checkLayout(layout: FusionLayout): FusionLayout {
  const { devicePart, partWidths, fusion } = layout;
  const M = partWidths.length;
  if (M < 1) throw optionError('partWidths', 'needs at least one part');
  if (partWidths.some((w) => !Number.isInteger(w) || w < 1)) throw optionError('partWidths', 'must be positive integers');
  const seen = new Array<number>(M).fill(0);
  devicePart.forEach((p, k) => {
    if (!Number.isInteger(p) || p < 0 || p >= M) throw optionError(`devicePart[${k}]`, `must be a part index in 0..${M - 1}, got ${p}`);
    seen[p] += 1;
  });
  const empty = seen.findIndex((n) => n === 0);
  if (empty >= 0) throw optionError('devicePart', `part ${empty} has no device`);
  if (fusion === 'concat' && seen.some((n) => n !== 1)) throw optionError('fusion', 'concat needs exactly one device per part');
  return layout;
}

/**
 * Fuses device vectors into the aggregator's input [n, sum(partWidths)]: per part, the mean of the
 * vectors of its devices that are alive (`alive[k]` is [n] or [n,1] of 0/1, or a scalar), zero when
 * none is. With one device per part this is NoNN's zero-fill concatenation.
 */
export function fuse(vectors: tf.Tensor2D[], alive: tf.Tensor[], layout: FusionLayout): tf.Tensor2D {
  return tf.tidy(() => {
    const parts: tf.Tensor2D[] = layout.partWidths.map((_, j) => {
      const members = layout.devicePart.flatMap((p, k) => (p === j ? [k] : []));
      let sum: tf.Tensor = tf.mul(vectors[members[0]], alive[members[0]]);
      let count: tf.Tensor = alive[members[0]];
      for (const k of members.slice(1)) {
        sum = tf.add(sum, tf.mul(vectors[k], alive[k]));
        count = tf.add(count, alive[k]);
      }
      return tf.div(sum, tf.maximum(count, 1)) as tf.Tensor2D;
    });
    return tf.concat(parts, 1);
  });
}
