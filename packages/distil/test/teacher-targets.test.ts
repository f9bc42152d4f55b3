import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initRuntime, saveModelToDir } from '@wearnet/runtime';
import { buildWideResNet } from '@wearnet/models';
import { fillBatch, IMAGE_BYTES } from '@wearnet/data';
import { buildTeacherTargets, DistilTask, loadRunTargets, type DistilTaskSpec } from '../src/index';
import { syntheticImages } from '../../train/test/synthetic';

/** Loss and every gradient of one shard, as plain arrays. */
function lossAndGrads(task: DistilTask, x: tf.Tensor4D, y: tf.Tensor1D, epoch: number, ids: Int32Array): { loss: number; grads: Float32Array[] } {
  return tf.tidy(() => {
    const r = tf.variableGrads(() => task.shardLoss(x, y, { step: 0, rank: 0, seed: 1, epoch, indices: ids }).loss, task.trainable);
    return { loss: r.value.dataSync()[0], grads: task.trainable.map((v) => r.grads[v.name].dataSync() as Float32Array) };
  });
}

/** Largest difference of two gradient lists, relative to each tensor's largest magnitude. */
function worstRelative(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((g, i) => {
    let scale = 0;
    let diff = 0;
    for (let j = 0; j < g.length; j++) {
      scale = Math.max(scale, Math.abs(g[j]));
      diff = Math.max(diff, Math.abs(g[j] - b[i][j]));
    }
    worst = Math.max(worst, diff / Math.max(scale, 1e-30));
  });
  return worst;
}

describe('teacher targets and the ops student engine', () => {
  let root: string;
  const train = syntheticImages(24, 8, 3);
  const parts = [
    [0, 2, 4, 6, 8, 10, 12, 14],
    [1, 3, 5, 7, 9, 11, 13, 15],
  ];
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wearnet-targets-'));
    await initRuntime();
    await saveModelToDir(buildWideResNet({ depth: 10, widthFactor: 1, widths: [4, 8, 16], classes: 100, seed: 5 }), join(root, 'teacher', 'model'));
    await buildTeacherTargets({
      teacherDir: join(root, 'teacher'),
      train: { count: train.count, pixels: train.pixels },
      views: 2,
      seed: 3,
      outDir: join(root, 'targets'),
      workers: 2,
      batchSize: 7,
    });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const spec = (engine: 'layers' | 'ops', targets?: DistilTaskSpec['targets']): DistilTaskSpec => ({
    kind: 'distil',
    teacherDir: join(root, 'teacher'),
    parts,
    layout: { fusion: 'part-average', devicePart: [0, 1, 0, 1], partWidths: [8, 8] },
    student: { arch: 'plain', widths: [4, 8, 8] },
    loss: { alpha: 0.9, temperature: 4, beta: 1000 },
    failureDropout: 0,
    classes: 100,
    seed: 2,
    engine,
    ...(targets !== undefined ? { targets } : {}),
  });

  it.each([
    ['plain', undefined],
    ['wrn', [1, 2, 1]],
  ] as const)('gives the loss and gradients of the teacher-forward Layers path on a fixed batch (%s students), to 1e-5 relative', async (arch, blocks) => {
    const targets = await loadRunTargets({
      dir: join(root, 'targets'),
      parts,
      train: { count: train.count, pixels: train.pixels },
      teacherDir: join(root, 'teacher'),
    });
    const student = {
      arch,
      widths: [4, 8, 8] as [number, number, number],
      ...(blocks !== undefined ? { blocks: [...blocks] as [number, number, number] } : {}),
    };
    const before = await DistilTask.create({ ...spec('layers'), student });
    const after = await DistilTask.create({ ...spec('ops', targets.id), student }, targets);
    // A fixed batch: images 3..10 in view 1, augmented exactly as the targets were computed.
    const ids = Int32Array.from({ length: 8 }, (_, i) => 3 + i);
    const table = new Int8Array(targets.table);
    const pick = (k: number): Int8Array => Int8Array.from(ids, (i) => table[(1 * train.count + i) * 3 + k]);
    const images = new Float32Array(ids.length * IMAGE_BYTES);
    fillBatch({ split: train, indices: ids, out: images, fixed: { dy: pick(0), dx: pick(1), mirror: pick(2) } });
    const x = tf.tensor4d(images, [ids.length, 32, 32, 3]);
    const y = tf.tensor1d(
      Int32Array.from(ids, (i) => train.fine[i]),
      'int32',
    );
    const a = lossAndGrads(before, x, y, 1, ids);
    const b = lossAndGrads(after, x, y, 1, ids);
    expect(Math.abs(a.loss - b.loss) / Math.abs(a.loss)).toBeLessThan(1e-5);
    expect(worstRelative(a.grads, b.grads)).toBeLessThan(1e-5);
    // Batch-norm moving statistics moved the same way.
    const sa = before.state.map((v) => v.dataSync() as Float32Array);
    const sb = after.state.map((v) => v.dataSync() as Float32Array);
    expect(worstRelative(sa, sb)).toBeLessThan(1e-5);
    // A different view is a different batch: its targets differ from view 1's.
    const other = lossAndGrads(after, x, y, 0, ids);
    expect(other.loss).not.toBeCloseTo(b.loss, 6);
    tf.dispose([x, y]);
  });

  it('refuses targets of another teacher with E_TARGETS_MISMATCH', async () => {
    const otherDir = join(root, 'other-teacher');
    await saveModelToDir(buildWideResNet({ depth: 10, widthFactor: 1, widths: [4, 8, 16], classes: 100, seed: 6 }), join(otherDir, 'model'));
    await expect(
      loadRunTargets({ dir: join(root, 'targets'), parts, train: { count: train.count, pixels: train.pixels }, teacherDir: otherDir }),
    ).rejects.toMatchObject({ code: 'E_TARGETS_MISMATCH' });
  });

  it('refuses targets of other images with E_TARGETS_MISMATCH', async () => {
    const pixels = Uint8Array.from(train.pixels);
    pixels[5] ^= 1;
    await expect(
      loadRunTargets({ dir: join(root, 'targets'), parts, train: { count: train.count, pixels }, teacherDir: join(root, 'teacher') }),
    ).rejects.toMatchObject({ code: 'E_TARGETS_MISMATCH' });
  });

  it('refuses a damaged view file with E_TARGETS_INVALID and a rebuild repairs it', async () => {
    const file = join(root, 'targets', 'view-001.bin');
    const good = readFileSync(file);
    const bad = Buffer.from(good);
    bad[bad.length - 3] ^= 0x40;
    writeFileSync(file, bad);
    const load = () =>
      loadRunTargets({ dir: join(root, 'targets'), parts, train: { count: train.count, pixels: train.pixels }, teacherDir: join(root, 'teacher') });
    await expect(load()).rejects.toMatchObject({ code: 'E_TARGETS_INVALID' });
    // The builder keeps intact views and computes the damaged one again.
    await buildTeacherTargets({
      teacherDir: join(root, 'teacher'),
      train: { count: train.count, pixels: train.pixels },
      views: 2,
      seed: 3,
      outDir: join(root, 'targets'),
      workers: 1,
    });
    expect(readFileSync(file).equals(good)).toBe(true);
    await expect(load()).resolves.toMatchObject({ views: 2, count: 24 });
  });
});
