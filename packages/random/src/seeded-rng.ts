import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

/** A seeded random source with inclusive integer ranges (the partitioning's: same seed, same partition as before). */
export interface SeededRng {
  /** Uniform float in [0, 1). */
  float(): number;
  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number;
}

/** Creates a seeded random source (pure-rand xoroshiro128+ seeded directly with `seed | 0`); the same seed gives the same stream. */
export function createSeededRng(seed: number): SeededRng {
  const generator = xoroshiro128plus(seed | 0);
  return {
    float: () => uniformFloat64(generator),
    int: (min, max) => uniformInt(generator, min, max),
  };
}

/** Returns a new array with the items of `items` in a seeded Fisher-Yates order. */
export function shuffled<T>(items: readonly T[], rng: SeededRng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}
