import * as tf from '@tensorflow/tfjs';
import { ClassifierTask } from './classifier-task';
import type { TaskSpec } from './task';

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

/** Cross-entropy training of {@link buildReferenceNetwork}; labels are folded onto its classes. */
export class ReferenceTask extends ClassifierTask {
  private readonly folded: number;

  constructor(spec: ReferenceTaskSpec) {
    const classes = spec.classes ?? 10;
    super(buildReferenceNetwork(classes, spec.seed ?? 1), classes);
    this.folded = classes;
  }

  protected override targets(labels: tf.Tensor1D): tf.Tensor1D {
    return tf.cast(tf.mod(labels, this.folded), 'int32') as tf.Tensor1D;
  }
}
