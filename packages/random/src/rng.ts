import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { optionError } from './errors';

/** A small seeded random source (xoroshiro128+ from `pure-rand`); it mutates as it is used. */
export interface Rng {
  /** A float uniform in [0, 1), 53 random bits. */
  nextFloat(): number;
  /** An integer uniform in [0, maxExclusive), without modulo bias; `maxExclusive` in 1..2^32. */
  nextInt(maxExclusive: number): number;
  /** An independent copy at the same position: both then yield the same sequence. */
  clone(): Rng;
  /** The generator state; `createRngFromState(state)` resumes from it (for checkpoints). */
  getState(): readonly number[];
}

/** Largest accepted seed: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 0xffffffff;

class PureRng implements Rng {
  constructor(private readonly gen: RandomGenerator) {}

  nextFloat(): number {
    return uniformFloat64(this.gen);
  }

  nextInt(maxExclusive: number): number {
    if (!(Number.isInteger(maxExclusive) && maxExclusive >= 1 && maxExclusive <= 0x100000000)) {
      throw optionError('maxExclusive', `must be an integer in 1..2^32, got ${String(maxExclusive)}`);
    }
    return uniformInt(this.gen, 0, maxExclusive - 1);
  }

  clone(): Rng {
    return new PureRng(this.gen.clone());
  }

  getState(): readonly number[] {
    return this.gen.getState();
  }
}

/** One step of splitmix32: spreads a 32-bit seed over the generator state so nearby seeds give unrelated streams. */
function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

/**
 * Creates a seeded random source. Equal seeds give equal sequences on every platform.
 * @param seed unsigned 32-bit integer (0..4294967295).
 * @throws RangeError with code `E_OPTION_INVALID` on another seed.
 */
export function createRng(seed: number): Rng {
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED)) {
    throw optionError('seed', `must be an integer in 0..${MAX_SEED}, got ${String(seed)}`);
  }
  const s0 = splitmix32(seed);
  const s1 = splitmix32(s0);
  const s2 = splitmix32(s1);
  const s3 = splitmix32(s2);
  // xoroshiro128+ must not start from the all-zero state.
  const state = s0 === 0 && s1 === 0 && s2 === 0 && s3 === 0 ? [1, 0, 0, 0] : [s0, s1, s2, s3];
  return new PureRng(xoroshiro128plusFromState(state));
}

/** Resumes a random source from `rng.getState()`. */
export function createRngFromState(state: readonly number[]): Rng {
  if (!Array.isArray(state) || state.length !== 4 || !state.every((v) => Number.isInteger(v))) {
    throw optionError('state', 'must be the 4 integers returned by rng.getState()', 'type');
  }
  return new PureRng(xoroshiro128plusFromState(state));
}

/**
 * A uniformly random permutation of 0..n-1 (Fisher-Yates), drawn from `rng`.
 * @param n number of indices, 0..2^32-1.
 */
export function shuffledIndices(n: number, rng: Rng): Uint32Array {
  if (!(Number.isInteger(n) && n >= 0 && n <= MAX_SEED)) throw optionError('n', `must be an integer in 0..${MAX_SEED}, got ${String(n)}`);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}
