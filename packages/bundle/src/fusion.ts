import type { AggregatorManifest, Head } from './manifests';

/**
 * Fuses the device vectors that arrived into one vector, as the bundle says (docs/BUNDLES.md):
 * the concatenation of the M part vectors in part order, where a part vector is
 * - `concat` (NoNN): the vector of the device of that part, zeros when it did not arrive;
 * - `part-average` (averaging): the mean over the devices of that part that arrived, zeros when none did;
 * with `missingFill: 'mean'` a part none of whose devices arrived is the mean of their mean vectors.
 * `vectors[i]` is device i's vector or undefined when it is missing.
 * @throws RangeError when a vector's length differs from its part's width.
 */
export function fuseVectors(manifest: AggregatorManifest, vectors: ReadonlyArray<Float32Array | undefined>): Float32Array {
  const offsets: number[] = [];
  let total = 0;
  for (const width of manifest.partWidths) {
    offsets.push(total);
    total += width;
  }
  const sum = new Float64Array(total);
  const counts = new Array<number>(manifest.parts).fill(0);
  for (let device = 0; device < manifest.devices; device += 1) {
    const vector = vectors[device];
    if (vector === undefined) continue;
    const part = manifest.devicePart[device];
    const width = manifest.partWidths[part];
    if (vector.length !== width) throw new RangeError(`vector of device ${device} has length ${vector.length}, part ${part} has width ${width}`);
    counts[part] += 1;
    const offset = offsets[part];
    for (let j = 0; j < width; j += 1) sum[offset + j] += vector[j];
  }
  const fused = new Float32Array(total);
  for (let part = 0; part < manifest.parts; part += 1) {
    const n = counts[part];
    if (n === 0) {
      if (manifest.missingFill === 'mean' && manifest.meanVectors !== undefined)
        fillWithMeans(manifest, part, fused.subarray(offsets[part], offsets[part] + manifest.partWidths[part]));
      continue;
    }
    // concat has one device per part, so the mean is that device's vector.
    const divisor = n;
    for (let j = offsets[part]; j < offsets[part] + manifest.partWidths[part]; j += 1) fused[j] = sum[j] / divisor;
  }
  return fused;
}

/** Writes the mean of the mean vectors of `part`'s devices into `out`. */
function fillWithMeans(manifest: AggregatorManifest, part: number, out: Float32Array): void {
  const means = manifest.meanVectors ?? [];
  const members = manifest.devicePart.flatMap((p, d) => (p === part ? [d] : []));
  for (let j = 0; j < out.length; j += 1) {
    let s = 0;
    for (const d of members) s += means[d][j];
    out[j] = s / members.length;
  }
}

/** Logits of the head and the arg-max class (lowest index on ties). */
export function classify(head: Head, fused: Float32Array): { logits: Float32Array; prediction: number } {
  if (fused.length !== head.inputs) throw new RangeError(`fused vector has length ${fused.length}, head expects ${head.inputs}`);
  const logits = new Float64Array(head.outputs);
  for (let o = 0; o < head.outputs; o += 1) logits[o] = head.bias[o];
  for (let i = 0; i < head.inputs; i += 1) {
    const x = fused[i];
    if (x === 0) continue;
    const row = i * head.outputs;
    for (let o = 0; o < head.outputs; o += 1) logits[o] += x * head.weights[row + o];
  }
  let prediction = 0;
  for (let o = 1; o < head.outputs; o += 1) if (logits[o] > logits[prediction]) prediction = o;
  return { logits: Float32Array.from(logits), prediction };
}
