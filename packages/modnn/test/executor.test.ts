import { join } from 'node:path';
import fc from 'fast-check';
import { fillBatch, loadShippedTestSubset } from '@wearnet/data';
import { buildWideResNet } from '@wearnet/models';
import * as tf from '@tensorflow/tfjs';
import { initRuntime, loadModelFromDir } from '@wearnet/runtime';
import { graphFromModel, planModnn, runModnnInProcess, wrnGraph } from '../src/index';

const TEACHER = join(__dirname, '..', '..', '..', 'artifacts', 'teacher-quick', 'model');

function argmax(values: Float32Array | Uint8Array | Int32Array, row: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j += 1) if (values[row * width + j] > values[row * width + best]) best = j;
  return best;
}

function compare(reference: Float32Array, got: Float32Array, count: number, width: number): { maxDiff: number; samePredictions: number } {
  let maxDiff = 0;
  let samePredictions = 0;
  for (let i = 0; i < reference.length; i += 1) maxDiff = Math.max(maxDiff, Math.abs(reference[i] - got[i]));
  for (let b = 0; b < count; b += 1) if (argmax(reference, b, width) === argmax(got, b, width)) samePredictions += 1;
  return { maxDiff, samePredictions };
}

describe('runModnnInProcess', () => {
  beforeAll(() => initRuntime({ backend: 'wasm' }));

  describe('on the trained teacher and the 1000 shipped test images', () => {
    let model: tf.LayersModel;
    let images: Float32Array;
    let reference: Float32Array;
    const count = 1000;
    beforeAll(async () => {
      model = await loadModelFromDir(TEACHER);
      const split = await loadShippedTestSubset();
      images = new Float32Array(count * 3072);
      fillBatch({ split, indices: Array.from({ length: count }, (_, i) => i), out: images });
      reference = tf.tidy(() => (model.predict(tf.tensor4d(images, [count, 32, 32, 3]), { batchSize: 100 }) as tf.Tensor).dataSync() as Float32Array);
    });
    afterAll(() => model.dispose());

    it.each([
      ['8 equal devices, local inputs', [1, 1, 1, 1, 1, 1, 1, 1], 'local'],
      ['4 devices of mixed speed (M7, M4, A53, M7), broadcast inputs', [480e6, 40e6, 2.4e9, 480e6], 'broadcast'],
    ] as const)('equals the single-process teacher with %s (max |logit diff| <= 1e-4, identical predictions), leaking no tensors', (_, speeds, inputMode) => {
      const { graph, weights } = graphFromModel(model);
      const plan = planModnn({ graph, speeds: [...speeds], inputMode });
      const before = tf.memory().numTensors;
      const result = runModnnInProcess({ plan, weights, images, count, batchSize: 100 });
      expect(tf.memory().numTensors).toBe(before);
      expect(result.completed).toBe(true);
      const { maxDiff, samePredictions } = compare(reference, result.logits as Float32Array, count, 100);
      expect(maxDiff).toBeLessThanOrEqual(1e-4);
      expect(samePredictions).toBe(count);
    });

    it('reads the teacher into the same graph as the pure WRN-10-2 description the accounting uses', () => {
      expect(graphFromModel(model).graph.nodes).toEqual(wrnGraph({ depth: 10, widthFactor: 2 }).nodes);
    });

    it('stalls when one device is missing: the hub never gets the logits', () => {
      const { graph, weights } = graphFromModel(model);
      const plan = planModnn({ graph, speeds: [1, 1, 1, 1] });
      const result = runModnnInProcess({ plan, weights, images, count: 2, missing: [2] });
      expect(result.completed).toBe(false);
      expect(result.logits).toBeUndefined();
      expect(result.stalled?.some((s) => s.waitingFor.some((id) => plan.messages[id].from === 2))).toBe(true);
    });
  });

  it('equals model.predict on random small WRNs with random K and speeds', () => {
    fc.assert(
      fc.property(
        fc.record({
          depth: fc.constantFrom(10, 16),
          widths: fc.tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 2, max: 8 })),
          seed: fc.integer({ min: 1, max: 1000 }),
        }),
        fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: 1, maxLength: 9 }),
        fc.constantFrom<'local' | 'broadcast'>('local', 'broadcast'),
        (c, speeds, inputMode) => {
          const model = buildWideResNet({ depth: c.depth, widthFactor: 1, widths: c.widths, classes: 10, seed: c.seed });
          try {
            const count = 3;
            const images = Float32Array.from({ length: count * 3072 }, (_, i) => Math.sin(i * 0.37 + c.seed));
            const reference = tf.tidy(() => (model.predict(tf.tensor4d(images, [count, 32, 32, 3])) as tf.Tensor).dataSync() as Float32Array);
            const { graph, weights } = graphFromModel(model);
            const result = runModnnInProcess({ plan: planModnn({ graph, speeds, inputMode }), weights, images, count });
            const { maxDiff, samePredictions } = compare(reference, result.logits as Float32Array, count, 10);
            expect(maxDiff).toBeLessThanOrEqual(1e-4);
            expect(samePredictions).toBe(count);
          } finally {
            model.dispose();
          }
        },
      ),
      { numRuns: 8 },
    );
  });
});
