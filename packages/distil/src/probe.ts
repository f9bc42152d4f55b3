import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initRuntime, loadModelFromDir } from '@wearnet/runtime';
import { fillBatch, IMAGE_BYTES, type ImageSource } from '@wearnet/data';
import { FEATURES_LAYER } from '@wearnet/models';
import type { ActivationMatrix } from '@wearnet/partition';
import { DistilError, optionError } from './errors';

/** Options of {@link probeTeacher}. */
export interface ProbeOptions {
  /** Teacher run directory (holds `model/`). */
  teacherDir: string;
  /** Images to probe (e.g. the training split). */
  images: ImageSource;
  /** First image of the probed slice; default `images.count - count` (the end of the split). */
  start?: number;
  /** Images probed; default 5000 (or all, if fewer). */
  count?: number;
  /** Inference batch; default 250. */
  batchSize?: number;
  /** Called after each batch with images done so far. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Final-conv activations of a teacher (DESIGN.md section 1, step 1): for each image and each filter
 * of the {@link FEATURES_LAYER} map, the spatial mean (the map is post-ReLU, so non-negative).
 * The partitioners clip and normalise per image themselves.
 */
export async function probeTeacher(options: ProbeOptions): Promise<ActivationMatrix & { start: number }> {
  const total = options.images.count;
  const count = Math.min(options.count ?? 5000, total);
  const start = options.start ?? total - count;
  const batchSize = options.batchSize ?? 250;
  if (!Number.isInteger(count) || count < 1) throw optionError('count', `must be a positive integer, got ${count}`);
  if (!Number.isInteger(start) || start < 0 || start + count > total) throw optionError('start', `slice ${start}..${start + count} is outside 0..${total}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw optionError('batchSize', `must be a positive integer, got ${batchSize}`);
  await initRuntime();
  let teacher: tf.LayersModel;
  try {
    teacher = await loadModelFromDir(join(options.teacherDir, 'model'));
  } catch (cause) {
    throw new DistilError('E_TEACHER_INVALID', `no teacher model in ${options.teacherDir}/model`, { cause });
  }
  let layer: tf.layers.Layer;
  try {
    layer = teacher.getLayer(FEATURES_LAYER);
  } catch (cause) {
    throw new DistilError('E_TEACHER_INVALID', `teacher has no "${FEATURES_LAYER}" layer`, { cause });
  }
  const features = tf.model({ inputs: teacher.inputs, outputs: layer.output as tf.SymbolicTensor });
  const filters = (layer.outputShape as number[])[3];
  const data = new Float32Array(count * filters);
  const batch = new Float32Array(batchSize * IMAGE_BYTES);
  for (let b = 0; b < count; b += batchSize) {
    const n = Math.min(batchSize, count - b);
    fillBatch({ split: options.images, indices: Int32Array.from({ length: n }, (_, i) => start + b + i), out: batch });
    const means = tf.tidy(() => {
      const x = tf.tensor4d(batch.subarray(0, n * IMAGE_BYTES), [n, 32, 32, 3]);
      return tf.mean(features.predict(x) as tf.Tensor4D, [1, 2]).dataSync() as Float32Array;
    });
    data.set(means, b * filters);
    options.onProgress?.(b + n, count);
  }
  teacher.dispose();
  return { images: count, filters, data, start };
}
