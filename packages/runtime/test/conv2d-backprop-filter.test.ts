import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { setFilterGradStrategy } from '../src/index';
import { convCase, onBackend, relativeError, setUpBackends, values, type ConvCase } from './kernel-harness';

function filterGrad(c: ConvCase): Float32Array {
  const x = tf.tensor4d(values(c.n * c.h * c.w * c.ci, c.seed), [c.n, c.h, c.w, c.ci]);
  const outH = c.pad === 'same' ? Math.ceil(c.h / c.stride) : Math.ceil((c.h - c.kh + 1) / c.stride);
  const outW = c.pad === 'same' ? Math.ceil(c.w / c.stride) : Math.ceil((c.w - c.kw + 1) / c.stride);
  const dy = tf.tensor4d(values(c.n * outH * outW * c.co, c.seed + 1), [c.n, outH, outW, c.co]);
  const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: [c.kh, c.kw, c.ci, c.co] };
  return (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor).dataSync() as Float32Array;
}

describe('Conv2DBackpropFilter on wasm', () => {
  beforeAll(setUpBackends);
  afterAll(() => setFilterGradStrategy('auto'));

  it.each(['auto', 'conv', 'im2col', 'patches'] as const)('matches the cpu backend within 1e-4 relative error with the %s strategy', (strategy) => {
    setFilterGradStrategy(strategy);
    fc.assert(
      fc.property(convCase, (c) => {
        const actual = onBackend('wasm', () => filterGrad(c));
        const expected = onBackend('cpu', () => filterGrad(c));
        expect(relativeError(actual, expected)).toBeLessThan(1e-4);
      }),
      { numRuns: 40, seed: 42 },
    );
  });

  it.each(['auto', 'conv', 'patches'] as const)('matches cpu with %s on channel counts above the patches threshold', (strategy) => {
    setFilterGradStrategy(strategy);
    for (const stride of [1, 2]) {
      const c: ConvCase = { n: 2, h: 9, w: 8, ci: 12, co: 7, kh: 3, kw: 3, stride, pad: 'same', seed: 5 + stride };
      expect(
        relativeError(
          onBackend('wasm', () => filterGrad(c)),
          onBackend('cpu', () => filterGrad(c)),
        ),
      ).toBeLessThan(1e-4);
    }
    setFilterGradStrategy('auto');
  });

  it('leaves no tensor behind', () => {
    const c: ConvCase = { n: 2, h: 8, w: 8, ci: 3, co: 4, kh: 3, kw: 3, stride: 2, pad: 'same', seed: 7 };
    onBackend('wasm', () => filterGrad(c));
    const before = tf.memory().numTensors;
    onBackend('wasm', () => filterGrad(c));
    expect(tf.memory().numTensors).toBe(before);
  });
});
