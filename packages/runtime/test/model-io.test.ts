import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initRuntime, loadModelFromDir, saveModelToDir } from '../src/index';

describe('model save and load', () => {
  let dir: string;
  beforeAll(async () => {
    await initRuntime({ backend: 'wasm' });
    dir = mkdtempSync(join(tmpdir(), 'wearnet-model-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function smallModel(): tf.LayersModel {
    const input = tf.input({ shape: [4, 4, 3] });
    const h = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }).apply(input);
    const out = tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }).apply(tf.layers.flatten().apply(h));
    return tf.model({ inputs: input, outputs: out as ReturnType<typeof tf.input> });
  }

  it('round-trips a model: same predictions, files with sizes and sha256', async () => {
    const model = smallModel();
    const saved = await saveModelToDir(model, join(dir, 'a'));
    expect(Object.keys(saved.files).sort()).toEqual(['model.json', 'weights.bin']);
    expect(saved.files['weights.bin'].sha256).toMatch(/^[0-9a-f]{64}$/);
    const loaded = await loadModelFromDir(join(dir, 'a'), { sha256: { 'weights.bin': saved.files['weights.bin'].sha256 } });
    const x = tf.ones([1, 4, 4, 3]);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    tf.dispose([x]);
  });

  it('rejects a weights file whose sha256 differs with E_MODEL_INVALID', async () => {
    const saved = await saveModelToDir(smallModel(), join(dir, 'b'));
    writeFileSync(join(dir, 'b', 'weights.bin'), new Uint8Array(saved.files['weights.bin'].bytes));
    await expect(loadModelFromDir(join(dir, 'b'), { sha256: { 'weights.bin': saved.files['weights.bin'].sha256 } })).rejects.toMatchObject({
      code: 'E_MODEL_INVALID',
    });
  });

  it('reports a missing directory with E_MODEL_MISSING and broken JSON with E_MODEL_INVALID', async () => {
    await expect(loadModelFromDir(join(dir, 'nope'))).rejects.toMatchObject({ code: 'E_MODEL_MISSING' });
    const broken = join(dir, 'c');
    require('node:fs').mkdirSync(broken);
    writeFileSync(join(broken, 'model.json'), '{not json');
    await expect(loadModelFromDir(broken)).rejects.toMatchObject({ code: 'E_MODEL_INVALID' });
  });
});
