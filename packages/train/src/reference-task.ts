import { join } from 'node:path';
import { loadModelFromDir, saveModelToDir, tf } from '@wearnet/runtime';
import type { ShardLoss, TaskSpec, TrainTask } from './task';

/** The foundation issue's reference network, used by the training-throughput benchmark. */
export interface ReferenceTaskSpec extends TaskSpec {
  kind: 'reference';
  classes?: number;
  seed?: number;
}

/**
 * Builds the reference CNN: conv3x3 32 same ReLU, batch norm, conv3x3 64 stride 2 ReLU,
 * conv3x3 64 stride 2 ReLU, global average pool, dense `classes` (softmax in the loss).
 */
export function buildReferenceNetwork(classes = 10, seed = 1): tf.LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed * 100 + k });
  const input = tf.input({ shape: [32, 32, 3] });
  let h = tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }).apply(input);
  h = tf.layers.batchNormalization().apply(h);
  h = tf.layers.conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(2) }).apply(h);
  h = tf.layers.conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(3) }).apply(h);
  h = tf.layers.globalAveragePooling2d({}).apply(h);
  const out = tf.layers.dense({ units: classes, kernelInitializer: init(4) }).apply(h);
  return tf.model({ inputs: input, outputs: out as ReturnType<typeof tf.input>, name: 'reference' });
}

/** Cross-entropy training of {@link buildReferenceNetwork}. */
export class ReferenceTask implements TrainTask {
  readonly model: tf.LayersModel;
  readonly trainable: tf.Variable[];
  readonly state: tf.Variable[];
  private readonly classes: number;

  constructor(spec: ReferenceTaskSpec) {
    this.classes = spec.classes ?? 10;
    this.model = buildReferenceNetwork(this.classes, spec.seed ?? 1);
    this.trainable = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.state = this.model.nonTrainableWeights.map((w) => w.read() as tf.Variable);
  }

  shardLoss(images: tf.Tensor4D, labels: tf.Tensor1D): ShardLoss {
    const logits = this.model.apply(images, { training: true }) as tf.Tensor2D;
    const target = tf.cast(tf.mod(labels, this.classes), 'int32') as tf.Tensor1D;
    const y = tf.oneHot(target, this.classes);
    const loss = tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
    const correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), target), 'float32')) as tf.Scalar);
    return { loss, correct };
  }

  predict(images: tf.Tensor4D): tf.Tensor2D {
    return this.model.predict(images) as tf.Tensor2D;
  }

  async save(dir: string): Promise<void> {
    await saveModelToDir(this.model, join(dir, 'model'));
  }

  async load(dir: string): Promise<void> {
    const loaded = await loadModelFromDir(join(dir, 'model'));
    this.model.setWeights(loaded.getWeights());
    loaded.dispose();
  }
}
