import { tf } from '@wearnet/runtime';

/** Result of {@link batchNormTraining}: the normalised output and the batch statistics it used. */
export interface BatchNormResult {
  y: tf.Tensor4D;
  /** Per-channel batch mean and biased variance (what the moving averages follow). */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/**
 * Batch normalisation in training mode over N, H, W of an NHWC map, optionally followed by ReLU, as
 * one operation with a hand-written gradient: the same arithmetic as tfjs-layers' BatchNormalization
 * (`moments`, biased variance, `(x - mean) * gamma / sqrt(var + eps) + beta`) then ReLU, but two
 * passes over the data forward and two backward instead of a dozen element-wise kernels, with
 * statistics accumulated in float64. Gradients flow to x, gamma and beta.
 */
export function batchNormTraining(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, options: { epsilon: number; relu: boolean }): BatchNormResult {
  const C = x.shape[3];
  const xs = x.dataSync() as Float32Array;
  const g = gamma.dataSync() as Float32Array;
  const b = beta.dataSync() as Float32Array;
  const count = xs.length / C;
  const sum = new Float64Array(C);
  for (let i = 0; i < xs.length; i += C) for (let c = 0; c < C; c++) sum[c] += xs[i + c];
  const mean = new Float64Array(C);
  for (let c = 0; c < C; c++) mean[c] = sum[c] / count;
  const sq = new Float64Array(C);
  for (let i = 0; i < xs.length; i += C) {
    for (let c = 0; c < C; c++) {
      const d = xs[i + c] - mean[c];
      sq[c] += d * d;
    }
  }
  const variance = new Float32Array(C);
  const invStd = new Float64Array(C);
  const scale = new Float64Array(C);
  const shift = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    variance[c] = sq[c] / count;
    invStd[c] = 1 / Math.sqrt(variance[c] + options.epsilon);
    scale[c] = g[c] * invStd[c];
    shift[c] = b[c] - mean[c] * scale[c];
  }
  const ys = new Float32Array(xs.length);
  for (let i = 0; i < xs.length; i += C) {
    for (let c = 0; c < C; c++) {
      const v = xs[i + c] * scale[c] + shift[c];
      ys[i + c] = options.relu && v < 0 ? 0 : v;
    }
  }
  // The inputs only tie the op into the tape; the arithmetic uses the arrays read above.
  const op = tf.customGrad(() => {
    return {
      value: tf.tensor4d(ys, x.shape),
      gradFunc: (dy: tf.Tensor) => {
        const dys = dy.dataSync() as Float32Array;
        const dBeta = new Float64Array(C);
        const dGammaHat = new Float64Array(C); // sum of dy * xhat
        for (let i = 0; i < xs.length; i += C) {
          for (let c = 0; c < C; c++) {
            if (options.relu && ys[i + c] <= 0) continue;
            const d = dys[i + c];
            dBeta[c] += d;
            dGammaHat[c] += d * (xs[i + c] - mean[c]) * invStd[c];
          }
        }
        const dx = new Float32Array(xs.length);
        const k1 = new Float64Array(C);
        const k2 = new Float64Array(C);
        for (let c = 0; c < C; c++) {
          k1[c] = dBeta[c] / count;
          k2[c] = dGammaHat[c] / count;
        }
        for (let i = 0; i < xs.length; i += C) {
          for (let c = 0; c < C; c++) {
            const d = options.relu && ys[i + c] <= 0 ? 0 : dys[i + c];
            const xhat = (xs[i + c] - mean[c]) * invStd[c];
            dx[i + c] = scale[c] * (d - k1[c] - xhat * k2[c]);
          }
        }
        return [tf.tensor4d(dx, x.shape), tf.tensor1d(Float32Array.from(dGammaHat)), tf.tensor1d(Float32Array.from(dBeta))];
      },
    };
  });
  const y = op(x, gamma, beta) as tf.Tensor4D;
  return { y, mean: tf.tensor1d(Float32Array.from(mean)), variance: tf.tensor1d(variance) };
}
