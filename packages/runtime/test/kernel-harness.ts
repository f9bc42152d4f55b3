import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { initRuntime } from '../src/index';

/** Runs `f` on the cpu backend and returns to wasm; tensors are made inside `f` on the active backend. */
export function onBackend<T>(name: 'cpu' | 'wasm', f: () => T): T {
  const previous = tf.getBackend();
  tf.setBackend(name);
  try {
    return tf.tidy(f);
  } finally {
    tf.setBackend(previous);
  }
}

/** Largest absolute difference relative to the largest magnitude of `expected`. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / (scale || 1);
}

/** Initialises wasm with wearnet's training kernels and the cpu reference backend. */
export async function setUpBackends(): Promise<void> {
  require('@tensorflow/tfjs-backend-cpu');
  await initRuntime({ backend: 'wasm' });
}

/** Deterministic pseudo-random values in [-1, 1) from a seed (no global Math.random). */
export function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** Random NHWC convolution geometries: batch, size, channels, kernel, stride 1 or 2, same or valid. */
export const convCase = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 1, max: 9 }),
    w: fc.integer({ min: 1, max: 9 }),
    ci: fc.integer({ min: 1, max: 6 }),
    co: fc.integer({ min: 1, max: 6 }),
    kh: fc.integer({ min: 1, max: 4 }),
    kw: fc.integer({ min: 1, max: 4 }),
    stride: fc.constantFrom(1, 2),
    pad: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
    seed: fc.integer({ min: 1, max: 1 << 30 }),
  })
  .filter((c) => c.pad === 'same' || (c.h >= c.kh && c.w >= c.kw));

/** One generated geometry. */
export type ConvCase = typeof convCase extends fc.Arbitrary<infer T> ? T : never;
