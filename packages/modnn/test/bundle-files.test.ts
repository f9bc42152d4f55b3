import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillBatch, loadShippedTestSubset } from '@wearnet/data';
import * as tf from '@tensorflow/tfjs';
import { initRuntime, loadModelFromDir } from '@wearnet/runtime';
import { exportModnnBundles, readModnnBundleSet, runModnnInProcess } from '../src/index';

const TEACHER = join(__dirname, '..', '..', '..', 'artifacts', 'teacher-quick');
const MEAN = [0.5071, 0.4865, 0.4409];
const STD = [0.2673, 0.2564, 0.2762];

describe('MoDNN bundle sets', () => {
  let dir: string;
  beforeAll(async () => {
    await initRuntime({ backend: 'wasm' });
    dir = await mkdtemp(join(tmpdir(), 'modnn-bundles-'));
    await exportModnnBundles({
      teacherDir: TEACHER,
      outDir: join(dir, 'set'),
      devices: 4,
      deviceClasses: ['cortex-m7-480', 'cortex-m4-80', 'cortex-a53-1200', 'cortex-m7-480'],
      mean: MEAN,
      std: STD,
    });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('round-trips: the devices loaded from their bundles reproduce the teacher on shipped images', async () => {
    const set = await readModnnBundleSet(join(dir, 'set'));
    expect(set.devices).toHaveLength(4);
    expect(set.plan.speeds).toEqual([480e6, 40e6, 2.4e9, 480e6]);
    const split = await loadShippedTestSubset({ limit: 40 });
    const images = new Float32Array(40 * 3072);
    fillBatch({ split, indices: Array.from({ length: 40 }, (_, i) => i), out: images });
    const model = await loadModelFromDir(join(TEACHER, 'model'));
    const reference = tf.tidy(() => (model.predict(tf.tensor4d(images, [40, 32, 32, 3])) as tf.Tensor).dataSync() as Float32Array);
    model.dispose();
    const result = runModnnInProcess({ plan: set.plan, weights: set.devices.map((d) => d.weights), images, count: 40 });
    let maxDiff = 0;
    reference.forEach((x, i) => (maxDiff = Math.max(maxDiff, Math.abs(x - (result.logits as Float32Array)[i]))));
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
  });

  async function tampered(edit: (root: string) => Promise<void>): Promise<unknown> {
    const copy = join(dir, `copy-${Math.random().toString(36).slice(2)}`);
    await exportModnnBundles({ teacherDir: TEACHER, outDir: copy, devices: 2, mean: MEAN, std: STD });
    await edit(copy);
    return readModnnBundleSet(copy).then(
      () => undefined,
      (err: unknown) => err,
    );
  }

  it('rejects a changed weights file with E_BUNDLE_HASH_MISMATCH', async () => {
    const err = await tampered(async (root) => {
      const path = join(root, 'device-1', 'weights.bin');
      const bytes = await readFile(path);
      bytes[100] ^= 0xff;
      await writeFile(path, bytes);
    });
    expect(err).toMatchObject({ code: 'E_BUNDLE_HASH_MISMATCH' });
  });

  it('rejects a weight whose shape disagrees with the plan with E_BUNDLE_INVALID naming it', async () => {
    const err = await tampered(async (root) => {
      const path = join(root, 'device-0', 'manifest.json');
      const manifest = JSON.parse(await readFile(path, 'utf8'));
      manifest.weights[0].shape = [3, 3, 3, 15];
      await writeFile(path, JSON.stringify(manifest));
    });
    expect(err).toMatchObject({ code: 'E_BUNDLE_INVALID', message: expect.stringContaining('stem/kernel') });
  });

  it('rejects a manifest field of the wrong type with E_BUNDLE_INVALID naming the field', async () => {
    const err = await tampered(async (root) => {
      const path = join(root, 'aggregator', 'manifest.json');
      const manifest = JSON.parse(await readFile(path, 'utf8'));
      manifest.classes = 'many';
      await writeFile(path, JSON.stringify(manifest));
    });
    expect(err).toMatchObject({ code: 'E_BUNDLE_INVALID', message: expect.stringContaining('classes') });
  });

  it('rejects a missing device directory with E_BUNDLE_MISSING', async () => {
    const err = await tampered((root) => rm(join(root, 'device-1'), { recursive: true }));
    expect(err).toMatchObject({ code: 'E_BUNDLE_MISSING' });
  });
});
