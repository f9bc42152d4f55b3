import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { tileInto } from '../src/wasm/tile';
import { onBackend, relativeError, setUpBackends, values } from './kernel-harness';

describe('Tile on wasm', () => {
  beforeAll(setUpBackends);

  it('matches the cpu backend for random shapes and repetitions of rank 1 to 4', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((rank) =>
          fc.record({
            shape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: rank, maxLength: rank }),
            reps: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: rank, maxLength: rank }),
            seed: fc.integer({ min: 1, max: 1 << 30 }),
          }),
        ),
        ({ shape, reps, seed }) => {
          const run = (): Float32Array => {
            const x = tf.tensor(
              values(
                shape.reduce((a, b) => a * b, 1),
                seed,
              ),
              shape,
            );
            return tf.tile(x, reps).dataSync() as Float32Array;
          };
          expect(relativeError(onBackend('wasm', run), onBackend('cpu', run))).toBe(0);
        },
      ),
      { numRuns: 80, seed: 45 },
    );
  });

  it('writes a scalar tile as the scalar itself', () => {
    const out = new Float32Array(1);
    tileInto(Float32Array.of(3), [], [], out);
    expect(out[0]).toBe(3);
  });
});
