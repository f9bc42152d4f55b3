import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadModelFromDir, saveModelToDir } from '@wearnet/runtime';
import type { ShardLoss, TrainTask } from './task';

/** A single LayersModel producing logits, trained with softmax cross-entropy (teacher, reference network). */
export class ClassifierTask implements TrainTask {
  readonly trainable: tf.Variable[];
  readonly state: tf.Variable[];

  constructor(
    readonly model: tf.LayersModel,
    private readonly classes: number,
  ) {
    this.trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.state = model.nonTrainableWeights.map((w) => w.read() as tf.Variable);
  }

  /** Integer targets of the batch (the reference network folds 100 labels onto its classes). */
  protected targets(labels: tf.Tensor1D): tf.Tensor1D {
    return labels;
  }

  shardLoss(images: tf.Tensor4D, labels: tf.Tensor1D): ShardLoss {
    const logits = this.model.apply(images, { training: true }) as tf.Tensor2D;
    const target = this.targets(labels);
    const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(target, this.classes), logits) as tf.Scalar;
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
