import type { AggregatorManifest, Head } from './manifests';

/** Options of {@link failureSetAccuracies}. */
export interface FailureSetAccuracyOptions {
  manifest: AggregatorManifest;
  head: Head;
  /** Per device, its vectors for `count` images, row-major (`count x partWidth` of its part). */
  vectors: readonly Float32Array[];
  /** True class of each image. */
  labels: ArrayLike<number>;
  /** Number of images. */
  count: number;
  /** Failure sets: failed device indices. */
  sets: readonly (readonly number[])[];
}

/**
 * Offline accuracy of every failure set over the same images, with the failed devices' vectors
 * missing and fusion as {@link fuseVectors} defines it (per part, the mean over the surviving
 * devices of that part; zeros when none survives, or with `missingFill: 'mean'` the mean of its
 * devices' mean vectors). The head is linear, so each device's
 * contribution `W_part^T v` is computed once per image and only combined per set: K = 8 and
 * 256 sets over 1000 images take well under a second. Float64 throughout; arg-max ties go to the
 * lowest class as in {@link classify} (a different summation order than `classify` can flip an
 * exact near-tie). A set of every device has accuracy 0: nothing fused, no prediction (as the aggregator records it).
 * @throws RangeError when the vectors do not fit the manifest.
 */
export function failureSetAccuracies(options: FailureSetAccuracyOptions): number[] {
  const { manifest, head, vectors, labels, count, sets } = options;
  const K = manifest.devices;
  const C = head.outputs;
  if (vectors.length !== K) throw new RangeError(`vectors has ${vectors.length} devices, the manifest ${K}`);
  const offsets: number[] = [];
  let total = 0;
  for (const width of manifest.partWidths) {
    offsets.push(total);
    total += width;
  }
  if (total !== head.inputs) throw new RangeError(`fused width ${total} differs from the head's ${head.inputs} inputs`);
  // contributions[d][i * C + c] = sum_j v_d[i, j] * W[offset(part d) + j, c]
  const contributions = vectors.map((v, d) => {
    const part = manifest.devicePart[d];
    const width = manifest.partWidths[part];
    if (v.length !== count * width) throw new RangeError(`vectors[${d}] has ${v.length} values, expected ${count} x ${width}`);
    const out = new Float64Array(count * C);
    for (let i = 0; i < count; i += 1) {
      for (let j = 0; j < width; j += 1) {
        const x = v[i * width + j];
        if (x === 0) continue;
        const row = (offsets[part] + j) * C;
        for (let c = 0; c < C; c += 1) out[i * C + c] += x * head.weights[row + c];
      }
    }
    return out;
  });
  // Mean-fill: the contribution of each device's mean vector, the same for every image.
  const meanContribution = (manifest.meanVectors ?? []).map((mean, d) => {
    const part = manifest.devicePart[d];
    const out = new Float64Array(C);
    mean.forEach((x, j) => {
      const row = (offsets[part] + j) * C;
      for (let c = 0; c < C; c += 1) out[c] += x * head.weights[row + c];
    });
    return out;
  });
  const meanFill = manifest.missingFill === 'mean' && meanContribution.length === K;
  const logits = new Float64Array(C);
  const base = new Float64Array(C);
  return sets.map((set) => {
    const failed = new Set(set);
    // Nothing fused, nothing predicted (as the aggregator records it): no image is classified correctly.
    if ([...Array(K).keys()].every((d) => failed.has(d))) return 0;
    const alive = new Array<number>(manifest.parts).fill(0);
    for (let d = 0; d < K; d += 1) if (!failed.has(d)) alive[manifest.devicePart[d]] += 1;
    for (let c = 0; c < C; c += 1) base[c] = head.bias[c];
    if (meanFill) {
      const members = new Array<number>(manifest.parts).fill(0);
      for (let d = 0; d < K; d += 1) members[manifest.devicePart[d]] += 1;
      for (let d = 0; d < K; d += 1) {
        const part = manifest.devicePart[d];
        if (alive[part] > 0) continue;
        for (let c = 0; c < C; c += 1) base[c] += meanContribution[d][c] / members[part];
      }
    }
    let correct = 0;
    for (let i = 0; i < count; i += 1) {
      for (let c = 0; c < C; c += 1) logits[c] = base[c];
      for (let d = 0; d < K; d += 1) {
        if (failed.has(d)) continue;
        const weight = 1 / alive[manifest.devicePart[d]];
        const z = contributions[d];
        for (let c = 0; c < C; c += 1) logits[c] += weight * z[i * C + c];
      }
      let best = 0;
      for (let c = 1; c < C; c += 1) if (logits[c] > logits[best]) best = c;
      if (best === labels[i]) correct += 1;
    }
    return count === 0 ? 0 : correct / count;
  });
}
