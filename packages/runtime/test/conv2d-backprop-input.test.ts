import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { convCase, onBackend, relativeError, setUpBackends, values, type ConvCase } from './kernel-harness';

function inputGrad(c: ConvCase): Float32Array {
  const outH = c.pad === 'same' ? Math.ceil(c.h / c.stride) : Math.ceil((c.h - c.kh + 1) / c.stride);
  const outW = c.pad === 'same' ? Math.ceil(c.w / c.stride) : Math.ceil((c.w - c.kw + 1) / c.stride);
  const dy = tf.tensor4d(values(c.n * outH * outW * c.co, c.seed), [c.n, outH, outW, c.co]);
  const w = tf.tensor4d(values(c.kh * c.kw * c.ci * c.co, c.seed + 3), [c.kh, c.kw, c.ci, c.co]);
  return tf.conv2dTranspose(dy, w, [c.n, c.h, c.w, c.ci], c.stride, c.pad).dataSync() as Float32Array;
}

describe('Conv2DBackpropInput on wasm', () => {
  beforeAll(setUpBackends);

  it('matches the cpu backend within 1e-4 relative error over random geometries', () => {
    fc.assert(
      fc.property(convCase, (c) => {
        expect(
          relativeError(
            onBackend('wasm', () => inputGrad(c)),
            onBackend('cpu', () => inputGrad(c)),
          ),
        ).toBeLessThan(1e-4);
      }),
      { numRuns: 60, seed: 43 },
    );
  });

  it.each([
    [2, 9, 8, 8, 5, 3, 3, 2, 'same'],
    [1, 10, 10, 16, 4, 3, 3, 1, 'same'],
    [2, 7, 9, 9, 3, 3, 3, 2, 'valid'],
    [1, 8, 8, 3, 4, 5, 5, 2, 'same'],
  ] as const)('matches cpu on n=%i h=%i w=%i ci=%i co=%i %ix%i stride %i %s (phase path when KH*KW*Ci > 64)', (n, h, w, ci, co, kh, kw, stride, pad) => {
    const c: ConvCase = { n, h, w, ci, co, kh, kw, stride, pad, seed: 99 };
    expect(
      relativeError(
        onBackend('wasm', () => inputGrad(c)),
        onBackend('cpu', () => inputGrad(c)),
      ),
    ).toBeLessThan(1e-4);
  });

  it('gives the gradient of a strided convolution that tf.grads computes on cpu', () => {
    const x = values(2 * 7 * 6 * 3, 11);
    const w = values(3 * 3 * 3 * 5, 12);
    const grads = (): Float32Array[] => {
      const xt = tf.tensor4d(x, [2, 7, 6, 3]);
      const wt = tf.tensor4d(w, [3, 3, 3, 5]);
      const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf
          .conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')
          .square()
          .sum(),
      )([xt, wt]);
      return [gx.dataSync() as Float32Array, gw.dataSync() as Float32Array];
    };
    const [wx, ww] = onBackend('wasm', grads);
    const [cx, cw] = onBackend('cpu', grads);
    expect(relativeError(wx, cx)).toBeLessThan(1e-4);
    expect(relativeError(ww, cw)).toBeLessThan(1e-4);
  });
});
