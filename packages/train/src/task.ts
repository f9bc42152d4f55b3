import type * as tf from '@tensorflow/tfjs';

/** Forward pass result of one shard inside the gradient tape. */
export interface ShardLoss {
  /** Mean loss over the shard (differentiated). */
  loss: tf.Scalar;
  /** Correctly classified images of the shard (kept out of the tape's tidy; caller disposes). */
  correct: tf.Scalar;
}

/** Where a shard sits in the run: tasks that draw randomness per step seed it from these. */
export interface StepContext {
  /** Global optimisation step. */
  step: number;
  /** Worker rank. */
  rank: number;
  /** Run seed. */
  seed: number;
  /** Epoch (0-based) the step belongs to. */
  epoch: number;
  /** Training-set indices of the shard's images, in batch order. */
  indices: Int32Array;
}

/**
 * What a data-parallel worker trains: the variables, the loss of one shard, predictions for
 * evaluation, and checkpoint I/O. Teacher training is one task; distillation is another.
 */
export interface TrainTask {
  /** Trainable variables, in the fixed order of the flat gradient. */
  readonly trainable: tf.Variable[];
  /** Non-trainable state averaged across replicas before evaluation and checkpoints (batch-norm statistics). */
  readonly state: tf.Variable[];
  /** Loss of a normalised NHWC batch with integer labels; runs inside `tf.variableGrads`. */
  shardLoss(images: tf.Tensor4D, labels: tf.Tensor1D, context: StepContext): ShardLoss;
  /** Logits [n, classes] for evaluation (inference mode). */
  predict(images: tf.Tensor4D): tf.Tensor2D;
  /** Writes the model(s) under `dir`. */
  save(dir: string): Promise<void>;
  /** Reads the model(s) written by {@link save} from `dir` into this task's variables. */
  load(dir: string): Promise<void>;
}

/** Serialisable description of a task, sent to every worker. */
export interface TaskSpec {
  kind: string;
  /** Modules the worker requires before building the task (they call `registerTask`). */
  modules?: string[];
  [key: string]: unknown;
}
