import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { saveModelToDir } from '@wearnet/runtime';
import { countModel } from '@wearnet/models';
import { CIFAR100_MEAN, CIFAR100_STD } from '@wearnet/data';
import { deviceDir, writeAggregatorBundle, writeDeviceManifest, writeSetManifest, AGGREGATOR_DIR, type BundleMethod } from '@wearnet/bundle';
import type { DistilTask } from './distil-task';

/** Options of {@link exportBundles}. */
export interface ExportOptions {
  task: DistilTask;
  method: BundleMethod;
  /** Bundle-set directory (replaced if it exists). */
  outDir: string;
  labels?: string[];
  /** Provenance written to `set.json` as `source`. */
  source?: Record<string, unknown>;
  /** Per device, its mean training vector (written to the aggregator bundle for mean-fill). */
  meanVectors?: Float32Array[] | number[][];
  /** The aggregator's fill for a part none of whose devices delivered; absent = zero. */
  missingFill?: 'zero' | 'mean';
}

/** What {@link exportBundles} wrote. */
export interface ExportResult {
  devices: Array<{ dir: string; macs: number; params: number; outputLength: number; weightsBytes: number }>;
  aggregatorDir: string;
}

/**
 * Writes one bundle per device (the student cut to image -> pooled vector, with its manifest) and
 * the aggregator bundle (fusion layout and head), in the format of docs/BUNDLES.md.
 */
export async function exportBundles(options: ExportOptions): Promise<ExportResult> {
  const { task, outDir } = options;
  const { layout } = task.spec;
  await rm(outDir, { recursive: true, force: true });
  const devices: ExportResult['devices'] = [];
  for (let k = 0; k < task.students.length; k++) {
    const student = task.students[k];
    const device = tf.model({ inputs: student.inputs, outputs: student.outputs[1], name: `device-${k}` });
    const dir = deviceDir(outDir, k);
    const saved = await saveModelToDir(device, dir);
    const cost = countModel(device);
    const outputLength = layout.partWidths[layout.devicePart[k]];
    await writeDeviceManifest(dir, {
      format: 'wearnet-device-bundle',
      version: 1,
      deviceIndex: k,
      part: layout.devicePart[k],
      method: options.method,
      input: { height: 32, width: 32, channels: 3, layout: 'NHWC', mean: [...CIFAR100_MEAN], std: [...CIFAR100_STD] },
      output: { length: outputLength },
      macs: cost.macs,
      params: cost.params,
      files: { model: 'model.json', weights: 'weights.bin' },
      sha256: Object.fromEntries(Object.entries(saved.files).map(([name, f]) => [name, f.sha256])),
    });
    devices.push({ dir, macs: cost.macs, params: cost.params, outputLength, weightsBytes: saved.files['weights.bin'].bytes });
  }
  const inputs = layout.partWidths.reduce((a, b) => a + b, 0);
  const aggregatorDir = join(outDir, AGGREGATOR_DIR);
  await writeAggregatorBundle(
    aggregatorDir,
    {
      format: 'wearnet-aggregator-bundle',
      version: 1,
      method: options.method,
      devices: task.students.length,
      parts: layout.partWidths.length,
      devicePart: [...layout.devicePart],
      partWidths: [...layout.partWidths],
      fusion: layout.fusion,
      classes: task.spec.classes,
      head: { file: 'head.bin', inputs, outputs: task.spec.classes },
      ...(options.labels !== undefined ? { labels: options.labels } : {}),
      ...(options.meanVectors !== undefined ? { meanVectors: options.meanVectors.map((m) => Array.from(m)) } : {}),
      ...(options.missingFill !== undefined ? { missingFill: options.missingFill } : {}),
    },
    {
      inputs,
      outputs: task.spec.classes,
      weights: task.headKernel.dataSync() as Float32Array,
      bias: task.headBias.dataSync() as Float32Array,
    },
  );
  await writeSetManifest(outDir, {
    format: 'wearnet-bundle-set',
    version: 1,
    method: options.method,
    devices: task.students.length,
    parts: layout.partWidths.length,
    createdAt: new Date().toISOString(),
    ...(options.source !== undefined ? { source: options.source } : {}),
  });
  return { devices, aggregatorDir };
}
