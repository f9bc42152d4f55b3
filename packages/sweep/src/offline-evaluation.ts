import { classify, deviceDir, failureSetAccuracies, fuseVectors, readBundleSet, type BundleSet } from '@wearnet/bundle';
import type { MethodSweep } from './sweep';
import { IMAGE_BYTES } from '@wearnet/protocol';
import type { DatasetSlice } from '@wearnet/workload';

/** The offline side of one method's sweep. */
export interface OfflineEvaluation {
  /** Offline prediction of every request of the sweep, by request id. */
  predictions: Map<number, number | null>;
  /** Offline accuracy over every image of the slice, by failure set (failed indices joined with `,`). */
  allImages: Map<string, number>;
  /** Real time spent computing device vectors, and fusing, ms. */
  vectorMs: number;
  fuseMs: number;
}

/**
 * Evaluates a method's bundle set offline, in this process, on the images the cluster saw: each
 * device's student (loaded with the device's own code, `loadStudent`, so vectors are computed the
 * way the device computes them) runs once per image of the slice; then every request of the sweep
 * is fused with its segment's failed devices missing and classified exactly as the aggregator
 * does (`fuseVectors` + `classify`), and every failure set is scored over all images. Loads
 * TensorFlow.js; call `initRuntime` first.
 */
export async function evaluateOffline(sweep: MethodSweep, slice: DatasetSlice): Promise<OfflineEvaluation> {
  const { loadStudent } = require('@wearnet/device') as typeof import('@wearnet/device');
  const set: BundleSet = await readBundleSet(sweep.bundles);
  const m = set.aggregator.manifest;
  const t0 = performance.now();
  const vectors: Float32Array[] = [];
  for (let d = 0; d < m.devices; d += 1) {
    const student = await loadStudent(deviceDir(set.dir, d));
    const width = m.partWidths[m.devicePart[d]];
    const out = new Float32Array(slice.count * width);
    try {
      for (let i = 0; i < slice.count; i += 1) out.set(student.predict(slice.pixels.subarray(i * IMAGE_BYTES, (i + 1) * IMAGE_BYTES)), i * width);
    } finally {
      student.dispose();
    }
    vectors.push(out);
  }
  const t1 = performance.now();
  const vectorOf = (d: number, sample: number): Float32Array => {
    const width = m.partWidths[m.devicePart[d]];
    return vectors[d].subarray(sample * width, (sample + 1) * width);
  };
  // Null where every device failed: nothing fused, no prediction (as the aggregator records it).
  const predictions = new Map<number, number | null>();
  const byId = new Map(sweep.records.map((r) => [r.id, r]));
  for (const segment of sweep.segments) {
    const failed = new Set(segment.failedIndices);
    for (const id of segment.requestIds) {
      const record = byId.get(id);
      if (!record) continue;
      const per = Array.from({ length: m.devices }, (_, d) => (failed.has(d) ? undefined : vectorOf(d, record.sample)));
      predictions.set(id, failed.size >= m.devices ? null : classify(set.aggregator.head, fuseVectors(m, per)).prediction);
    }
  }
  const sets = [...new Map(sweep.segments.map((s) => [s.failedIndices.join(','), s.failedIndices])).values()];
  const accuracies = failureSetAccuracies({ manifest: m, head: set.aggregator.head, vectors, labels: slice.labels, count: slice.count, sets });
  const allImages = new Map(sets.map((s, i) => [s.join(','), accuracies[i]]));
  return { predictions, allImages, vectorMs: t1 - t0, fuseMs: performance.now() - t1 };
}
