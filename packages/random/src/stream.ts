import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** A seeded stream of uniform numbers in [0, 1). */
export interface RandomStream {
  /** Next uniform number in [0, 1). */
  next(): number;
}

/** FNV-1a hash of a string to an unsigned 32-bit integer. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A random stream determined by the run seed and a stream name (for example `device-3/loss`), so
 * that every link has its own independent, replayable randomness.
 */
export function createStream(seed: number, name: string): RandomStream {
  const rng: RandomGenerator = xoroshiro128plus((seed ^ hashString(name)) | 0);
  // Warm up: the first outputs of nearby seeds are correlated.
  for (let i = 0; i < 8; i += 1) rng.next();
  return { next: () => uniformFloat64(rng) };
}

/** An exponential sample with the given mean, drawn from `stream`. */
export function exponential(stream: RandomStream, mean: number): number {
  return -mean * Math.log(1 - stream.next());
}
