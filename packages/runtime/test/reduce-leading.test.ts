import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { sumLeading } from '../src/wasm/reduce-leading';
import { onBackend, relativeError, setUpBackends, values } from './kernel-harness';

describe('Sum and Mean over the leading axes on wasm', () => {
  beforeAll(setUpBackends);

  it('match the cpu backend for every axis set of random rank-2..4 tensors, keepDims or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }).chain((rank) =>
          fc.record({
            shape: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: rank, maxLength: rank }),
            axes: fc.subarray([...Array(rank).keys()], { minLength: 1 }),
            keepDims: fc.boolean(),
            mean: fc.boolean(),
            seed: fc.integer({ min: 1, max: 1 << 30 }),
          }),
        ),
        ({ shape, axes, keepDims, mean, seed }) => {
          const run = (): { values: Float32Array; shape: number[] } => {
            const x = tf.tensor(
              values(
                shape.reduce((a, b) => a * b, 1),
                seed,
              ),
              shape,
            );
            const r = mean ? tf.mean(x, axes, keepDims) : tf.sum(x, axes, keepDims);
            return { values: r.dataSync() as Float32Array, shape: r.shape };
          };
          const w = onBackend('wasm', run);
          const c = onBackend('cpu', run);
          expect(w.shape).toEqual(c.shape);
          expect(relativeError(w.values, c.values)).toBeLessThan(1e-5);
        },
      ),
      { numRuns: 80, seed: 46 },
    );
  });

  it('sums rows that do not fill a block of eight', () => {
    const out = new Float32Array(2);
    sumLeading(Float32Array.of(1, 2, 3, 4, 5, 6), 2, out, 1);
    expect(Array.from(out)).toEqual([9, 12]);
  });
});
