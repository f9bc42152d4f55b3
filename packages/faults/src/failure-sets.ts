import { createStream } from '@wearnet/link';
import { FaultError } from './errors';

/** Options of {@link failureSetOrder}. */
export interface FailureSetOptions {
  /** Number of devices K (1..30). */
  devices: number;
  /** Largest number of failed devices; default K. */
  maxFailed?: number;
  /**
   * Most failure sets per number of failed devices f: a level with more than this many sets,
   * C(K, f), is sampled without replacement (seeded); undefined = every set of every level.
   */
  samplePerLevel?: number;
  /** Seed of the sample; default 1. */
  seed?: number;
  /** Most sets the whole order may hold; default 65 536. */
  maxSets?: number;
}

/** An ordered list of failure sets and how it was chosen. */
export interface FailureSetOrder {
  devices: number;
  /** Each set: the failed device indices, ascending. Consecutive sets differ in as few devices as the order allows. */
  sets: number[][];
  /** Per number of failed devices f = 0..maxFailed: sets chosen and sets in all, C(K, f). */
  levels: { failed: number; chosen: number; total: number; sampled: boolean }[];
}

/** C(n, k) as a float (exact up to 2^53). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= Math.min(k, n - k); i += 1) c = (c * (n - i + 1)) / i;
  return Math.round(c);
}

/** Every subset of {0..n-1} of size k, in lexicographic order. */
export function* subsetsOfSize(n: number, k: number): Generator<number[]> {
  if (k < 0 || k > n) return;
  const idx = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    yield [...idx];
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i] += 1;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
  }
}

/** Largest number of failure sets {@link allFailureSets} enumerates by default (2^16). */
export const MAX_FAILURE_SETS = 65536;

/**
 * All failure sets of K devices grouped by size f = 0..K (2^K sets), each in lexicographic order.
 * @throws RangeError for a bad `devices`; FaultError `E_TOO_MANY_SETS` beyond `maxSets`.
 */
export function allFailureSets(devices: number, maxSets = MAX_FAILURE_SETS): number[][][] {
  if (!Number.isInteger(devices) || devices < 1) throw new RangeError(`devices must be a positive integer, got ${devices}`);
  if (2 ** devices > maxSets) throw new FaultError('E_TOO_MANY_SETS', `devices: 2^${devices} failure sets exceed the limit of ${maxSets}`);
  return Array.from({ length: devices + 1 }, (_, f) => [...subsetsOfSize(devices, f)]);
}

/** Rank of a bit mask in the binary reflected Gray code (the inverse Gray code). */
export function grayRank(mask: number): number {
  let rank = mask;
  for (let shift = mask >>> 1; shift !== 0; shift >>>= 1) rank ^= shift;
  return rank >>> 0;
}

/**
 * Failure sets for a sweep, in binary reflected Gray code order: with every set of every level,
 * consecutive sets differ in exactly one device, so a sweep crashes or restores one device between
 * segments (K = 8: 256 sets, 255 changes, 127 restores in all). With a sample, the chosen sets keep
 * their Gray order. Deterministic for a seed.
 * @throws RangeError for bad options; FaultError `E_TOO_MANY_SETS` beyond `maxSets`.
 */
export function failureSetOrder(options: FailureSetOptions): FailureSetOrder {
  const K = options.devices;
  if (!Number.isInteger(K) || K < 1 || K > 30) throw new RangeError(`devices must be an integer in [1, 30], got ${String(K)}`);
  const maxFailed = options.maxFailed ?? K;
  if (!Number.isInteger(maxFailed) || maxFailed < 0 || maxFailed > K)
    throw new RangeError(`maxFailed must be an integer in [0, ${K}], got ${String(maxFailed)}`);
  const sample = options.samplePerLevel;
  if (sample !== undefined && !(Number.isInteger(sample) && sample >= 1))
    throw new RangeError(`samplePerLevel must be a positive integer, got ${String(sample)}`);
  const maxSets = options.maxSets ?? 65536;
  const levels: FailureSetOrder['levels'] = [];
  let count = 0;
  for (let f = 0; f <= maxFailed; f += 1) {
    const total = binomial(K, f);
    const chosen = sample === undefined ? total : Math.min(sample, total);
    levels.push({ failed: f, chosen, total, sampled: chosen < total });
    count += chosen;
  }
  if (count > maxSets) throw new FaultError('E_TOO_MANY_SETS', `${count} failure sets exceed the limit of ${maxSets}; sample fewer per level`);
  const stream = createStream(options.seed ?? 1, 'failure-sets');
  const masks: number[] = [];
  for (const level of levels) {
    if (!level.sampled) masks.push(...masksOfSize(K, level.failed));
    else masks.push(...sampleMasks({ K, f: level.failed, n: level.chosen }, () => stream.next()));
  }
  masks.sort((a, b) => grayRank(a) - grayRank(b));
  return { devices: K, sets: masks.map((mask) => devicesOf(mask, K)), levels };
}

/** Failed device indices of a mask, ascending. */
function devicesOf(mask: number, K: number): number[] {
  const out: number[] = [];
  for (let d = 0; d < K; d += 1) if (mask & (1 << d)) out.push(d);
  return out;
}

function masksOfSize(K: number, f: number): number[] {
  const out: number[] = [];
  const walk = (start: number, left: number, mask: number): void => {
    if (left === 0) {
      out.push(mask);
      return;
    }
    for (let d = start; d <= K - left; d += 1) walk(d + 1, left - 1, mask | (1 << d));
  };
  walk(0, f, 0);
  return out;
}

/** `n` distinct uniform f-subsets of K devices, as bit masks. */
function sampleMasks(level: { K: number; f: number; n: number }, random: () => number): number[] {
  const { K, f, n } = level;
  const chosen = new Set<number>();
  while (chosen.size < n) {
    // A uniform f-subset: a partial Fisher-Yates shuffle of the device indices.
    const devices = Array.from({ length: K }, (_, i) => i);
    let mask = 0;
    for (let i = 0; i < f; i += 1) {
      const j = i + Math.floor(random() * (K - i));
      [devices[i], devices[j]] = [devices[j], devices[i]];
      mask |= 1 << devices[i];
    }
    chosen.add(mask);
  }
  return [...chosen];
}
