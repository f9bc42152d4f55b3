import * as tf from '@tensorflow/tfjs';
import { fillBatch, IMAGE_BYTES, type ImageSource } from '@wearnet/data';
import type { DistilTask } from './distil-task';
import { optionError } from './errors';
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
  /** How parts without survivors were filled. */
  fill?: MissingFill;
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
 * What the aggregator puts in place of a part none of whose devices delivered: `zero` (NoNN and
 * Jeong et al., as published) or `mean` (the mean of those devices' vectors over training images,
 * see {@link meanVectors}). A part with at least one survivor is the mean of its survivors either way.
 */
export type MissingFill = 'zero' | 'mean';

/** Options of {@link evaluateFailures}. */
export interface EvaluateFailuresOptions {
  /** Images per inference batch; default 250. */
  batchSize?: number;
  /** Default `zero`. */
  fill?: MissingFill;
  /** Per device, its mean vector (required for `fill: 'mean'`). */
  means?: Float32Array[];
}

/** Every device's vectors for `images` (inference mode), device-major: `vectors[k]` is [count, width_k]. */
export function deviceVectors(task: DistilTask, images: ImageSource, batchSize = 250): Float32Array[] {
  const N = images.count;
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
  return vectors;
}

/** Each device's mean vector over `images` (e.g. training images), for mean-fill. */
export function meanVectors(task: DistilTask, images: ImageSource, batchSize = 250): Float32Array[] {
  const widths = task.spec.layout.devicePart.map((p) => task.spec.layout.partWidths[p]);
  return deviceVectors(task, images, batchSize).map((v, k) => {
    const w = widths[k];
    const sum = new Float64Array(w);
    for (let i = 0; i < v.length; i++) sum[i % w] += v[i];
    return Float32Array.from(sum, (x) => x / images.count);
  });
}

/**
 * Accuracy for every number of failed devices f = 0..K, averaged over all C(K, f) failure sets
 * (a failed device delivers nothing: it is left out of its part's average; a part with no survivor
 * is filled as `options.fill` says). Each device's vectors are computed once; only fusion and the
 * head run per set.
 */
export function evaluateFailures(task: DistilTask, images: LabelledSource, options: EvaluateFailuresOptions = {}): FailureTable {
  const K = task.students.length;
  const N = images.count;
  const fill = options.fill ?? 'zero';
  const layout = task.spec.layout;
  const widths = layout.devicePart.map((p) => layout.partWidths[p]);
  if (fill !== 'zero' && fill !== 'mean') throw optionError('fill', `must be zero or mean, got ${String(fill)}`);
  if (fill === 'mean' && !(options.means?.length === K && options.means.every((m, k) => m.length === widths[k] && m.every(Number.isFinite)))) {
    throw optionError('means', `fill: mean needs one finite mean vector per device (${K}) of its width`);
  }
  const t0 = performance.now();
  const vectors = deviceVectors(task, images, options.batchSize ?? 250);
  const t1 = performance.now();
  const meanTensors = fill === 'mean' ? (options.means ?? []).map((m) => tf.tile(tf.tensor2d(m, [1, m.length]), [N, 1]) as tf.Tensor2D) : [];
  const labels = tf.tensor1d(Int32Array.from(images.fine.subarray(0, N)), 'int32');
  const deviceTensors = vectors.map((v, k) => tf.tensor2d(v, [N, widths[k]]));
  const ones = tf.ones([N, 1]);
  const zeros = tf.zeros([N, 1]);
  const perSet: Record<string, number> = {};
  const rows: FailureRow[] = allFailureSets(K).map((sets, failed) => {
    const accs = sets.map((set) => {
      const acc = tf.tidy(() => {
        const failed = (k: number): boolean => set.includes(k);
        // Mean-fill: a part with no survivor takes its devices' mean vectors instead of zero.
        const orphan = (k: number): boolean => fill === 'mean' && layout.devicePart.every((p, j) => p !== layout.devicePart[k] || failed(j));
        const inputs = deviceTensors.map((v, k) => (orphan(k) ? meanTensors[k] : v));
        const alive = deviceTensors.map((_, k) => (failed(k) && !orphan(k) ? zeros : ones));
        const logits = task.logitsOf(inputs, alive);
        return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')).dataSync()[0];
      });
      perSet[set.join(',')] = acc;
      return acc;
    });
    return { failed, sets: sets.length, mean: accs.reduce((a, b) => a + b, 0) / accs.length, min: Math.min(...accs), max: Math.max(...accs) };
  });
  tf.dispose([labels, ones, zeros, ...deviceTensors, ...meanTensors]);
  return { devices: K, images: N, fill, rows, perSet, vectorSeconds: (t1 - t0) / 1000, fuseSeconds: (performance.now() - t1) / 1000 };
}

/** The failure table as markdown. */
export function failureTableMarkdown(table: FailureTable, label = 'accuracy'): string {
  const lines = [`| failed devices f | failure sets C(${table.devices},f) | mean ${label} | min | max |`, '|---|---|---|---|---|'];
  for (const r of table.rows)
    lines.push(`| ${r.failed} | ${r.sets} | ${(r.mean * 100).toFixed(2)} % | ${(r.min * 100).toFixed(2)} % | ${(r.max * 100).toFixed(2)} % |`);
  return lines.join('\n');
}

/** Default availabilities of {@link expectedAccuracy} tables. */
export const DEFAULT_AVAILABILITIES = [0.99, 0.95, 0.9, 0.8];

/**
 * Expected accuracy when each of the K devices delivers independently with probability `p`: every
 * failure set S weighted by p^(K-|S|) (1-p)^|S| (all 2^K sets, as ResiliNet evaluates), from the
 * per-set accuracies of a {@link FailureTable}.
 */
export function expectedAccuracy(table: Pick<FailureTable, 'devices' | 'perSet'>, p: number): number {
  if (!(p >= 0 && p <= 1)) throw optionError('p', `must be a probability in [0, 1], got ${p}`);
  const K = table.devices;
  let sum = 0;
  let weight = 0;
  for (const [key, acc] of Object.entries(table.perSet)) {
    const f = key === '' ? 0 : key.split(',').length;
    const w = p ** (K - f) * (1 - p) ** f;
    sum += w * acc;
    weight += w;
  }
  if (Object.keys(table.perSet).length !== 2 ** K) throw optionError('table', `has ${Object.keys(table.perSet).length} failure sets, expected all 2^${K}`);
  return sum / weight;
}

/** Expected accuracy at each availability as markdown rows (one table per fill). */
export function availabilityMarkdown(tables: Array<Pick<FailureTable, 'devices' | 'perSet' | 'fill'>>, ps: number[] = DEFAULT_AVAILABILITIES): string {
  const lines = [
    `| availability p | ${tables.map((t) => `expected accuracy (${t.fill ?? 'zero'}-fill)`).join(' | ')} |`,
    `|---|${tables.map(() => '---|').join('')}`,
  ];
  for (const p of ps) lines.push(`| ${p} | ${tables.map((t) => `${(expectedAccuracy(t, p) * 100).toFixed(2)} %`).join(' | ')} |`);
  return lines.join('\n');
}
