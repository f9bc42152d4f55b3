import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadModelFromDir } from '@wearnet/runtime';
import { parsePartitionJson, partitionFilters, toPartitionJson } from '@wearnet/partition';
import { readBundleSet } from '@wearnet/bundle';
import { runTraining } from '@wearnet/train';
import { fillBatch } from '@wearnet/data';
import { exportBundles, layoutFor, loadDistilled, probeTeacher, runDistillation } from '../src/index';
import { syntheticImages } from '../../train/test/synthetic';

describe('probe -> partition -> distil -> evaluate -> export', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'wearnet-distil-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('produces a consistent distributed network and bundles that compute what the run evaluated', async () => {
    const classes = 100;
    const train = syntheticImages(256, 8, 1);
    const test = syntheticImages(96, 8, 2);
    const teacherDir = join(root, 'teacher');
    const teacher = await runTraining({
      task: { kind: 'teacher', model: { depth: 10, widthFactor: 1, widths: [4, 8, 16], classes, seed: 1 } },
      outDir: teacherDir,
      epochs: 2,
      batchSize: 32,
      schedule: (steps) => ({ kind: 'cosine', peak: 0.05, warmupSteps: 0, totalSteps: steps * 2 }),
      workers: 2,
      train,
      test,
    });
    const saved = teacher.pool.collect('done', 1, 'save');
    teacher.pool.send({ type: 'save', dir: teacherDir }, 0);
    await saved;
    await teacher.pool.close();

    const activations = await probeTeacher({ teacherDir, images: train, count: 200 });
    expect(activations.filters).toBe(16);
    expect(activations.start).toBe(56);
    expect(Array.from(activations.data).every((v) => Number.isFinite(v) && v >= 0)).toBe(true);

    const partition = partitionFilters(activations, { method: 'balanced', parts: 2, students: 4, seed: 1 });
    const json = parsePartitionJson(toPartitionJson(partition));
    expect(layoutFor('averaging', json, 4).devicePart).toEqual([0, 1, 0, 1]);

    const runDir = join(root, 'avg');
    const result = await runDistillation({
      teacherDir,
      partition: json,
      method: 'averaging',
      devices: 4,
      preset: 'tiny',
      outDir: runDir,
      train,
      test,
      epochs: 2,
    });
    expect(result.finished).toBe(true);
    const m = result.manifest!;
    expect(m.failures.rows.map((r) => r.sets)).toEqual([1, 4, 6, 4, 1]);
    // The pool's evaluation and the failure table's f = 0 row run different code on the same model.
    expect(m.failures.rows[0].mean).toBeCloseTo(m.testAccuracy, 6);
    // With every device failed, every part is zero: the head's bias alone decides, one class for all.
    expect(m.failures.rows[4].mean).toBeLessThanOrEqual(1 / 8 + 1e-9);

    const { task } = await loadDistilled(runDir);
    const bundles = join(root, 'bundles');
    await exportBundles({ task, method: 'averaging', outDir: bundles, source: { run: runDir, testAccuracy: m.testAccuracy } });
    const set = await readBundleSet(bundles);
    expect(set.set.source).toEqual({ run: runDir, testAccuracy: m.testAccuracy });
    expect(set.devices).toHaveLength(4);
    expect(set.aggregator.manifest.devicePart).toEqual([0, 1, 0, 1]);
    const x = new Float32Array(3072);
    fillBatch({ split: test, indices: [0], out: x });
    const device = await loadModelFromDir(join(bundles, 'device-1'));
    const fromBundle = tf.tidy(() => (device.predict(tf.tensor4d(x, [1, 32, 32, 3])) as tf.Tensor).dataSync());
    const fromRun = tf.tidy(() => task.vectors(tf.tensor4d(x, [1, 32, 32, 3]))[1].dataSync());
    expect(Array.from(fromBundle)).toEqual(Array.from(fromRun));
  });

  it('refuses NoNN when the partition does not have one part per device (E_PARTITION_MISMATCH)', () => {
    expect(() => layoutFor('nonn', { parts: [[0], [1]] }, 4)).toThrow(expect.objectContaining({ code: 'E_PARTITION_MISMATCH' }));
    expect(() => layoutFor('averaging', { parts: [[0], [1], [2]] }, 4)).toThrow(expect.objectContaining({ code: 'E_PARTITION_MISMATCH' }));
  });
});
