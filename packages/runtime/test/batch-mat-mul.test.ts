import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { onBackend, relativeError, setUpBackends, values } from './kernel-harness';

describe('BatchMatMul on wasm with transposed operands', () => {
  beforeAll(setUpBackends);

  it('matches the cpu backend for every transpose combination and batch size', () => {
    fc.assert(
      fc.property(
        fc.record({
          batch: fc.integer({ min: 1, max: 3 }),
          m: fc.integer({ min: 1, max: 9 }),
          k: fc.integer({ min: 1, max: 9 }),
          n: fc.integer({ min: 1, max: 9 }),
          ta: fc.boolean(),
          tb: fc.boolean(),
          seed: fc.integer({ min: 1, max: 1 << 30 }),
        }),
        ({ batch, m, k, n, ta, tb, seed }) => {
          const run = (): Float32Array => {
            const a = tf.tensor3d(values(batch * m * k, seed), ta ? [batch, k, m] : [batch, m, k]);
            const b = tf.tensor3d(values(batch * k * n, seed + 1), tb ? [batch, n, k] : [batch, k, n]);
            return tf.matMul(a, b, ta, tb).dataSync() as Float32Array;
          };
          expect(relativeError(onBackend('wasm', run), onBackend('cpu', run))).toBeLessThan(1e-4);
        },
      ),
      { numRuns: 60, seed: 44 },
    );
  });
});
