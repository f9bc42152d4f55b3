import { optionError } from './errors';

/** Binomial coefficient C(n, k) as a float (exact for the sizes used here). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
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

/** All failure sets of K devices grouped by size f = 0..K (2^K sets); refuses K beyond {@link MAX_FAILURE_SETS}. */
export function allFailureSets(devices: number, maxSets = MAX_FAILURE_SETS): number[][][] {
  if (!Number.isInteger(devices) || devices < 1) throw optionError('devices', `must be a positive integer, got ${devices}`);
  if (2 ** devices > maxSets) throw optionError('devices', `2^${devices} failure sets exceed the limit of ${maxSets}`);
  return Array.from({ length: devices + 1 }, (_, f) => [...subsetsOfSize(devices, f)]);
}
