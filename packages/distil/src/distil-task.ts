import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadModelFromDir, saveModelToDir } from '@wearnet/runtime';
import { buildStudent, FEATURES_LAYER, trainingGraph, type StudentArch } from '@wearnet/models';
import { createRng } from '@wearnet/data';
import { registerTask, streamSeed, type ShardLoss, type StepContext, type TaskSpec, type TrainTask } from '@wearnet/train';
import { DistilError } from './errors';
import { checkLayout, fuse, type FusionLayout } from './fusion';
import type { RunTargets } from './teacher-targets';

/** Loss weights of distillation (Hinton KD + attention transfer), DESIGN.md section 1. */
export interface DistilLoss {
  /** Weight of the soft-target term; default 0.9. */
  alpha: number;
  /** Softmax temperature; default 4. */
  temperature: number;
  /** Weight of attention transfer (squared difference of L2-normalised attention maps, averaged over students); default 1000. */
  beta: number;
}

/** Default {@link DistilLoss}. */
export const DEFAULT_DISTIL_LOSS: DistilLoss = { alpha: 0.9, temperature: 4, beta: 1000 };

/** Architecture of every student (see `buildStudent`); `blocks` absent = one per stage. */
export interface StudentSpec {
  arch: StudentArch;
  widths: [number, number, number];
  blocks?: [number, number, number];
}

/** Task spec of joint student distillation. */
export interface DistilTaskSpec extends TaskSpec {
  kind: 'distil';
  /** Directory with the teacher's `model/` (a `wearnet train teacher` run). */
  teacherDir: string;
  /** Teacher filter indices of each part (M parts). */
  parts: number[][];
  layout: FusionLayout;
  student: StudentSpec;
  loss: DistilLoss;
  /** Probability of dropping each student per training image (zeroed / left out of the average); default 0. */
  failureDropout: number;
  classes: number;
  seed: number;
  /**
   * How the students run in training: `layers` (tfjs-layers `apply`, the path before the throughput
   * work) or `ops` (the same arithmetic as plain ops, see `trainingGraph`). Absent = `layers`.
   */
  engine?: 'layers' | 'ops';
  /** Precomputed teacher targets (`wearnet teacher-targets`) instead of a teacher forward per step: their identity; the data comes as task data. */
  targets?: RunTargets['id'];
}

/** Attention map of a feature map [n,h,w,c]: channel mean of squares, flattened, L2-normalised. */
export function attentionMap(features: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, h, w] = features.shape;
    const a = tf.reshape(tf.mean(tf.square(features), 3), [n, h * w]);
    return tf.div(a, tf.add(tf.norm(a, 2, 1, true), 1e-12)) as tf.Tensor2D;
  });
}

let instances = 0;

/** Students + fusion head trained jointly against a frozen teacher. */
export class DistilTask implements TrainTask {
  readonly students: tf.LayersModel[];
  readonly headKernel: tf.Variable;
  readonly headBias: tf.Variable;
  readonly trainable: tf.Variable[];
  readonly state: tf.Variable[];
  /** Training-mode forward of each student: image -> [bridge map, pooled vector]. */
  private readonly trainForward: Array<(x: tf.Tensor4D) => tf.Tensor[]>;

  private constructor(
    readonly spec: DistilTaskSpec,
    private readonly teacher: tf.LayersModel | undefined,
    private readonly targets?: RunTargets,
  ) {
    checkLayout(spec.layout);
    this.students = spec.layout.devicePart.map(
      (part, k) =>
        buildStudent({
          arch: spec.student.arch,
          widths: spec.student.widths,
          ...(spec.student.blocks !== undefined ? { blocks: spec.student.blocks } : {}),
          partWidth: spec.layout.partWidths[part],
          seed: spec.seed * 31 + k,
          prefix: `s${k}_`,
        }).model,
    );
    const fused = spec.layout.partWidths.reduce((a, b) => a + b, 0);
    instances += 1;
    this.headKernel = tf.variable(
      tf.initializers.glorotUniform({ seed: spec.seed * 31 + 999 }).apply([fused, spec.classes]) as tf.Tensor,
      true,
      `head${instances}/kernel`,
    );
    this.headBias = tf.variable(tf.zeros([spec.classes]), true, `head${instances}/bias`);
    this.trainable = [...this.students.flatMap((s) => s.trainableWeights.map((w) => w.read() as tf.Variable)), this.headKernel, this.headBias];
    this.state = this.students.flatMap((s) => s.nonTrainableWeights.map((w) => w.read() as tf.Variable));
    this.trainForward = this.students.map((s) => (spec.engine === 'ops' ? trainingGraph(s) : (x) => s.apply(x, { training: true }) as tf.Tensor[]));
  }

  /** Loads the teacher (or takes its precomputed targets) and builds the students. */
  static async create(spec: DistilTaskSpec, targets?: RunTargets): Promise<DistilTask> {
    if (spec.targets !== undefined) {
      if (targets === undefined) throw new DistilError('E_TARGETS_INVALID', 'the task spec names teacher targets but none were passed to the workers');
      if (targets.parts !== spec.parts.length)
        throw new DistilError('E_TARGETS_MISMATCH', `targets derived for ${targets.parts} parts, the task has ${spec.parts.length}`);
      return new DistilTask(spec, undefined, targets);
    }
    const loaded = await loadModelFromDir(join(spec.teacherDir, 'model'));
    const teacher = tf.model({ inputs: loaded.inputs, outputs: [loaded.getLayer(FEATURES_LAYER).output as tf.SymbolicTensor, loaded.outputs[0]] });
    return new DistilTask(spec, teacher);
  }

  /** Students and head only (evaluation and export need no teacher). */
  static forInference(spec: DistilTaskSpec): DistilTask {
    return new DistilTask(spec, undefined);
  }

  /** Head logits of fused device vectors; `alive[k]` is [n,1] of 0/1. */
  logitsOf(vectors: tf.Tensor2D[], alive: tf.Tensor[]): tf.Tensor2D {
    return tf.add(tf.matMul(fuse(vectors, alive, this.spec.layout), this.headKernel), this.headBias) as tf.Tensor2D;
  }

  /** Per-image 0/1 survival of each student for failure dropout ([n,1] each). */
  private aliveMasks(n: number, context: StepContext): tf.Tensor[] {
    const K = this.students.length;
    if (this.spec.failureDropout <= 0) return Array.from({ length: K }, () => tf.ones([n, 1]));
    const rng = createRng(streamSeed(context.seed ^ 0x5eed, context.step, context.rank));
    const masks = Array.from({ length: K }, () => new Float32Array(n));
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) masks[k][i] = rng.nextFloat() < this.spec.failureDropout ? 0 : 1;
    return masks.map((m) => tf.tensor2d(m, [n, 1]));
  }

  /** The teacher's logits and per-part attention maps of a shard: a forward pass, or a look-up in the precomputed targets. */
  private teacherTargets(images: tf.Tensor4D, context: StepContext): { teacherLogits: tf.Tensor2D; teacherMaps: tf.Tensor2D[] } {
    if (this.targets !== undefined) return lookUpTargets(this.targets, context.epoch % this.targets.views, context.indices);
    if (this.teacher === undefined) throw new DistilError('E_TEACHER_INVALID', 'DistilTask built for inference cannot train');
    const [features, teacherLogits] = this.teacher.apply(images, { training: false }) as [tf.Tensor4D, tf.Tensor2D];
    return { teacherLogits, teacherMaps: this.spec.parts.map((idx) => attentionMap(tf.gather(features, idx, 3) as tf.Tensor4D)) };
  }

  shardLoss(images: tf.Tensor4D, labels: tf.Tensor1D, context: StepContext): ShardLoss {
    const { alpha, temperature: T, beta } = this.spec.loss;
    const { teacherLogits, teacherMaps } = this.teacherTargets(images, context);
    const outputs = this.trainForward.map((f) => f(images) as [tf.Tensor4D, tf.Tensor2D]);
    const logits = this.logitsOf(
      outputs.map((o) => o[1]),
      this.aliveMasks(images.shape[0], context),
    );
    const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, this.spec.classes), logits);
    const pTeacher = tf.softmax(tf.div(teacherLogits, T));
    const kl = tf.mean(tf.sum(tf.mul(pTeacher, tf.sub(tf.log(tf.add(pTeacher, 1e-12)), tf.logSoftmax(tf.div(logits, T)))), 1));
    let at: tf.Tensor = tf.scalar(0);
    outputs.forEach((o, k) => {
      at = tf.add(at, tf.mean(tf.square(tf.sub(attentionMap(o[0]), teacherMaps[this.spec.layout.devicePart[k]]))));
    });
    const loss = tf.addN([tf.mul(alpha * T * T, kl), tf.mul(1 - alpha, ce), tf.mul(beta / outputs.length, at)]) as tf.Scalar;
    const correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')) as tf.Scalar);
    return { loss, correct };
  }

  /** Every device's pooled vector [n, width] (inference mode). */
  vectors(images: tf.Tensor4D): tf.Tensor2D[] {
    return this.students.map((s) => (s.predict(images) as tf.Tensor[])[1] as tf.Tensor2D);
  }

  /** Logits with the given devices alive (default all). */
  predictWith(images: tf.Tensor4D, alive?: boolean[]): tf.Tensor2D {
    return tf.tidy(() => {
      const n = images.shape[0];
      const masks = this.students.map((_, k) => tf.fill([n, 1], alive === undefined || alive[k] ? 1 : 0));
      return this.logitsOf(this.vectors(images), masks);
    });
  }

  predict(images: tf.Tensor4D): tf.Tensor2D {
    return this.predictWith(images);
  }

  async save(dir: string): Promise<void> {
    for (let k = 0; k < this.students.length; k++) await saveModelToDir(this.students[k], join(dir, 'students', `device-${k}`));
    await mkdir(dir, { recursive: true });
    const head = new Float32Array(this.headKernel.size + this.headBias.size);
    head.set(this.headKernel.dataSync() as Float32Array, 0);
    head.set(this.headBias.dataSync() as Float32Array, this.headKernel.size);
    await writeFile(join(dir, 'head.bin'), new Uint8Array(head.buffer));
  }

  async load(dir: string): Promise<void> {
    for (let k = 0; k < this.students.length; k++) {
      const loaded = await loadModelFromDir(join(dir, 'students', `device-${k}`));
      this.students[k].setWeights(loaded.getWeights());
      loaded.dispose();
    }
    const bytes = await readFile(join(dir, 'head.bin'));
    const head = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    this.headKernel.assign(tf.tensor(head.subarray(0, this.headKernel.size), this.headKernel.shape));
    this.headBias.assign(tf.tensor(head.subarray(this.headKernel.size), this.headBias.shape));
  }
}

/** Tensors of the precomputed targets of images `ids` in view `view`: logits [n, classes] and one [n, positions] map per part. */
function lookUpTargets(t: RunTargets, view: number, ids: Int32Array): { teacherLogits: tf.Tensor2D; teacherMaps: tf.Tensor2D[] } {
  const data = new Float32Array(t.data);
  const n = ids.length;
  const logits = new Float32Array(n * t.classes);
  const maps = Array.from({ length: t.parts }, () => new Float32Array(n * t.positions));
  for (let i = 0; i < n; i++) {
    const o = (view * t.count + ids[i]) * t.stride;
    logits.set(data.subarray(o, o + t.classes), i * t.classes);
    for (let p = 0; p < t.parts; p++) {
      const m = o + t.classes + p * t.positions;
      maps[p].set(data.subarray(m, m + t.positions), i * t.positions);
    }
  }
  return { teacherLogits: tf.tensor2d(logits, [n, t.classes]), teacherMaps: maps.map((m) => tf.tensor2d(m, [n, t.positions])) };
}

registerTask('distil', (spec, data) => DistilTask.create(spec as DistilTaskSpec, data as RunTargets | undefined));

/** Path of this module, for `TaskSpec.modules` (workers require it to register the task). */
export const DISTIL_TASK_MODULE = __filename.endsWith('.ts') ? join(__dirname, '..', 'dist', 'distil-task.js') : __filename;
