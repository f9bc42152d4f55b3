import { join } from 'node:path';
import { loadModelFromDir, saveModelToDir, tf } from '@wearnet/runtime';
import { buildWideResNet, type WideResNetOptions } from '@wearnet/models';
import type { ShardLoss, TaskSpec, TrainTask } from './task';

/** Task spec of teacher training: a Wide-ResNet with softmax cross-entropy. */
export interface TeacherTaskSpec extends TaskSpec {
  kind: 'teacher';
  model: WideResNetOptions;
}

function layerVariables(weights: tf.LayerVariable[]): tf.Variable[] {
  return weights.map((w) => w.read() as tf.Variable);
}

/** Teacher training: cross-entropy on the WRN logits. */
export class TeacherTask implements TrainTask {
  readonly model: tf.LayersModel;
  readonly trainable: tf.Variable[];
  readonly state: tf.Variable[];
  private readonly classes: number;

  constructor(spec: TeacherTaskSpec) {
    this.model = buildWideResNet(spec.model);
    this.classes = spec.model.classes ?? 100;
    this.trainable = layerVariables(this.model.trainableWeights);
    this.state = layerVariables(this.model.nonTrainableWeights);
  }

  shardLoss(images: tf.Tensor4D, labels: tf.Tensor1D): ShardLoss {
    const logits = this.model.apply(images, { training: true }) as tf.Tensor2D;
    const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, this.classes), logits) as tf.Scalar;
    const correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')) as tf.Scalar);
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
