import * as tf from '@tensorflow/tfjs';
import { fillBatch, IMAGE_BYTES, type ImageSource } from '@wearnet/data';
import type { DistilTask } from './distil-task';
import { allFailureSets } from '@wearnet/faults';

/** Accuracy over all failure sets of one size. */
export interface FailureRow {
  /** Failed devices. */
  failed: number;
  /** Number of failure sets of this size, C(K, f). */
  sets: number;
  /** Mean accuracy over those sets. */
  mean: number;
  min: number;
  max: number;
}

/** Result of {@link evaluateFailures}. */
export interface FailureTable {
  devices: number;
  images: number;
  rows: FailureRow[];
  /** Accuracy of every failure set, keyed by the failed devices joined with `,` ("" = none failed). */
  perSet: Record<string, number>;
  /** Seconds spent computing device vectors / fusing all sets. */
  vectorSeconds: number;
  fuseSeconds: number;
}

/** Images with labels, as the data package loads them. */
export type LabelledSource = ImageSource & { fine: Uint8Array };

/**
 * Accuracy for every number of failed devices f = 0..K, averaged over all C(K, f) failure sets
 * (a failed device delivers nothing: its part is zero-filled, or left out of its part's average).
 * Each device's vectors are computed once; only fusion and the head run per set.
 */
export function evaluateFailures(task: DistilTask, images: LabelledSource, batchSize = 250): FailureTable {
  const K = task.students.length;
  const N = images.count;
  const t0 = performance.now();
  const widths = task.spec.layout.devicePart.map((p) => task.spec.layout.partWidths[p]);
  const vectors = widths.map((w) => new Float32Array(N * w));
  const batch = new Float32Array(batchSize * IMAGE_BYTES);
  for (let b = 0; b < N; b += batchSize) {
    const n = Math.min(batchSize, N - b);
    fillBatch({ split: images, indices: Int32Array.from({ length: n }, (_, i) => b + i), out: batch });
    tf.tidy(() => {
      const x = tf.tensor4d(batch.subarray(0, n * IMAGE_BYTES), [n, 32, 32, 3]);
      task.vectors(x).forEach((v, k) => vectors[k].set(v.dataSync() as Float32Array, b * widths[k]));
    });
  }
  const t1 = performance.now();
  const labels = tf.tensor1d(Int32Array.from(images.fine.subarray(0, N)), 'int32');
  const deviceTensors = vectors.map((v, k) => tf.tensor2d(v, [N, widths[k]]));
  const ones = tf.ones([N, 1]);
  const zeros = tf.zeros([N, 1]);
  const perSet: Record<string, number> = {};
  const rows: FailureRow[] = allFailureSets(K).map((sets, failed) => {
    const accs = sets.map((set) => {
      const acc = tf.tidy(() => {
        const alive = deviceTensors.map((_, k) => (set.includes(k) ? zeros : ones));
        const logits = task.logitsOf(deviceTensors, alive);
        return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')).dataSync()[0];
      });
      perSet[set.join(',')] = acc;
      return acc;
    });
    return { failed, sets: sets.length, mean: accs.reduce((a, b) => a + b, 0) / accs.length, min: Math.min(...accs), max: Math.max(...accs) };
  });
  tf.dispose([labels, ones, zeros, ...deviceTensors]);
  return { devices: K, images: N, rows, perSet, vectorSeconds: (t1 - t0) / 1000, fuseSeconds: (performance.now() - t1) / 1000 };
}

/** The failure table as markdown. */
export function failureTableMarkdown(table: FailureTable, label = 'accuracy'): string {
  const lines = [`| failed devices f | failure sets C(${table.devices},f) | mean ${label} | min | max |`, '|---|---|---|---|---|'];
  for (const r of table.rows) lines.push(`| ${r.failed} | ${r.sets} | ${(r.mean * 100).toFixed(2)} % | ${(r.min * 100).toFixed(2)} % | ${(r.max * 100).toFixed(2)} % |`);
  return lines.join('\n');
}
