import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** A loaded model, as {@link loadModelFromDir} returns it. */
export type Model = LayersModel;

/**
 * Runs `model` on one NHWC float32 input of `shape` inside `tf.tidy` (no tensor outlives the
 * call) and returns a copy of its last output's values.
 */
export function predictVector(model: Model, input: Float32Array, shape: readonly [number, number, number, number]): Float32Array {
  const values = tf.tidy(() => {
    const result = model.predict(tf.tensor4d(input, [...shape]));
    return (Array.isArray(result) ? result[result.length - 1] : result).dataSync() as Float32Array;
  });
  return Float32Array.from(values);
}

/** Frees a model's weights. */
export function disposeModel(model: Model): void {
  model.dispose();
}
