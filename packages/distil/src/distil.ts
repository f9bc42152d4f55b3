import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initRuntime } from '@wearnet/runtime';
import { countModel } from '@wearnet/models';
import type { PartitionJson } from '@wearnet/partition';
import { evaluatePool, runControls, runTraining, type EpochRecord, type LabelledImages, type RunControls } from '@wearnet/train';
import { DEFAULT_DISTIL_LOSS, DISTIL_TASK_MODULE, DistilTask, type DistilLoss, type DistilTaskSpec, type StudentSpec } from './distil-task';
import { DistilError, optionError } from './errors';
import { evaluateFailures, type FailureTable } from './evaluate-failures';
import { loadRunTargets, teacherWeightsSha256 } from './teacher-targets';
import type { FusionLayout } from './fusion';

/** Distillation methods: NoNN (one student per part, concatenation) or averaging (Jeong et al.). */
export type DistilMethod = 'nonn' | 'averaging';

/** A named distillation recipe. */
export interface DistilPreset {
  name: string;
  description: string;
  epochs: number;
  batchSize: number;
  student: StudentSpec;
  peakLr: number;
}

/** Distillation recipes; `quick` fits this machine class, `tiny` is for tests. */
export const DISTIL_PRESETS: Record<string, DistilPreset> = {
  quick: {
    name: 'quick',
    description: 'plain students 16/32/64 (about 3 M MACs each), 3 epochs, batch 128, SGD Nesterov 0.9, wd 5e-4, cosine from 0.05 after 1 warm-up epoch',
    epochs: 3,
    batchSize: 128,
    student: { arch: 'plain', widths: [16, 32, 64] },
    peakLr: 0.05,
  },
  tiny: {
    name: 'tiny',
    description: 'plain students 4/8/8, 1 epoch, batch 32, for tests',
    epochs: 1,
    batchSize: 32,
    student: { arch: 'plain', widths: [4, 8, 8] },
    peakLr: 0.05,
  },
};

/** Builds the fusion layout of a method from a partition. */
export function layoutFor(method: DistilMethod, partition: Pick<PartitionJson, 'parts'>, devices: number): FusionLayout {
  const M = partition.parts.length;
  const partWidths = partition.parts.map((p) => p.length);
  if (!Number.isInteger(devices) || devices < 1) throw optionError('devices', `must be a positive integer, got ${devices}`);
  if (method === 'nonn') {
    if (M !== devices) throw new DistilError('E_PARTITION_MISMATCH', `NoNN needs one part per device: the partition has ${M} parts for ${devices} devices`);
    return { fusion: 'concat', devicePart: Array.from({ length: devices }, (_, k) => k), partWidths };
  }
  if (method === 'averaging') {
    if (M > devices / 2) throw new DistilError('E_PARTITION_MISMATCH', `averaging needs M <= K/2 parts: ${M} parts for ${devices} devices`);
    return { fusion: 'part-average', devicePart: Array.from({ length: devices }, (_, k) => k % M), partWidths };
  }
  throw optionError('method', `must be nonn or averaging, got ${String(method)}`);
}

/** Options of {@link runDistillation}. */
export interface DistillationOptions extends RunControls {
  teacherDir: string;
  partition: PartitionJson;
  method: DistilMethod;
  devices: number;
  preset: string;
  outDir: string;
  train: LabelledImages;
  test: LabelledImages;
  seed?: number;
  epochs?: number;
  batchSize?: number;
  failureDropout?: number;
  /** Student architecture instead of the preset's. */
  student?: StudentSpec;
  /** Peak learning rate instead of the preset's. */
  peakLr?: number;
  /** How students run in training (`DistilTaskSpec.engine`); default `ops`. */
  engine?: 'layers' | 'ops';
  /** A `wearnet teacher-targets` directory: the teacher's outputs are looked up per augmented view instead of computed every step. */
  targetsDir?: string;
  loss?: Partial<DistilLoss>;
  dataSource?: Record<string, unknown>;
}

/** `manifest.json` of a distillation run. */
export interface DistilManifest {
  format: 'wearnet-distil';
  version: 1;
  method: DistilMethod;
  preset: string;
  spec: DistilTaskSpec;
  devices: number;
  parts: number;
  partition: { method: string; seed: number; filters: number; used: number; source?: Record<string, unknown> };
  studentMacs: number[];
  studentParams: number[];
  headParams: number;
  epochs: number;
  batchSize: number;
  /** Peak learning rate of the cosine schedule. */
  peakLr: number;
  seed: number;
  workers: number;
  backend: string;
  trainSeconds: number;
  testAccuracy: number;
  failures: FailureTable;
  history: EpochRecord[];
  teacher: Record<string, unknown>;
  data: Record<string, unknown>;
  createdAt: string;
}

/** Reads the task spec of a distillation run directory. */
export async function readDistilManifest(runDir: string): Promise<DistilManifest> {
  try {
    const m = JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')) as DistilManifest;
    if (m.format !== 'wearnet-distil') throw new Error('not a distillation manifest');
    return m;
  } catch (cause) {
    throw new DistilError('E_RUN_INVALID', `${runDir}/manifest.json is not a finished distillation run`, { cause });
  }
}

/** Loads the trained students and head of a finished run (no teacher). */
export async function loadDistilled(runDir: string): Promise<{ task: DistilTask; manifest: DistilManifest }> {
  const manifest = await readDistilManifest(runDir);
  await initRuntime();
  const task = DistilTask.forInference(manifest.spec);
  await task.load(join(runDir, 'final'));
  return { task, manifest };
}

/**
 * Distils K students from a teacher for one method, data-parallel with checkpoints, then evaluates
 * the whole test split for every failure set and writes `final/` and `manifest.json`.
 */
export async function runDistillation(options: DistillationOptions): Promise<{ finished: boolean; epochsDone: number; manifest?: DistilManifest }> {
  const preset = DISTIL_PRESETS[options.preset];
  if (preset === undefined) throw optionError('preset', `unknown distillation preset "${options.preset}" (known: ${Object.keys(DISTIL_PRESETS).join(', ')})`);
  const failureDropout = options.failureDropout ?? 0;
  if (!(failureDropout >= 0 && failureDropout < 1)) throw optionError('failureDropout', `must be in [0, 1), got ${failureDropout}`);
  const seed = options.seed ?? 1;
  const epochs = options.epochs ?? preset.epochs;
  const targets =
    options.targetsDir === undefined
      ? undefined
      : await loadRunTargets({ dir: options.targetsDir, parts: options.partition.parts, train: options.train, teacherDir: options.teacherDir });
  const teacherManifest = JSON.parse(await readFile(join(options.teacherDir, 'manifest.json'), 'utf8').catch(() => '{}')) as Record<string, unknown>;
  const spec: DistilTaskSpec = {
    kind: 'distil',
    modules: [DISTIL_TASK_MODULE],
    teacherDir: options.teacherDir,
    parts: options.partition.parts,
    layout: layoutFor(options.method, options.partition, options.devices),
    student: options.student ?? preset.student,
    loss: { ...DEFAULT_DISTIL_LOSS, ...options.loss },
    failureDropout,
    classes: 100,
    seed,
    engine: options.engine ?? 'ops',
    ...(targets !== undefined ? { targets: targets.id } : {}),
  };
  // Resuming must not depend on where the repository sits: the teacher is identified by its weights.
  const { modules: _modules, teacherDir: _teacherDir, ...portable } = spec;
  const teacherSha256 = targets?.id.teacherSha256 ?? (await teacherWeightsSha256(options.teacherDir));
  const run = await runTraining({
    task: spec,
    identity: { ...portable, teacherSha256 },
    outDir: options.outDir,
    epochs,
    batchSize: options.batchSize ?? preset.batchSize,
    schedule: (steps) => ({ kind: 'cosine', peak: options.peakLr ?? preset.peakLr, floor: 0, warmupSteps: epochs > 1 ? steps : 0, totalSteps: steps * epochs }),
    sgd: { momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
    seed,
    train: options.train,
    test: options.test,
    ...(targets !== undefined ? { views: { views: targets.views, count: targets.count, table: targets.table }, taskData: targets } : {}),
    ...runControls(options),
  });
  try {
    if (!run.finished) return { finished: false, epochsDone: run.epochsDone };
    const final = await evaluatePool(run.pool, 'test', options.test.count);
    const saved = run.pool.collect('done', 1, 'save');
    run.pool.send({ type: 'save', dir: join(options.outDir, 'final') }, 0);
    await saved;
    await initRuntime(options.backend !== undefined ? { backend: options.backend as 'wasm' } : {});
    const task = DistilTask.forInference(spec);
    await task.load(join(options.outDir, 'final'));
    const failures = evaluateFailures(task, { count: options.test.count, pixels: options.test.pixels, fine: options.test.fine });
    const costs = task.students.map((s) => countModel(s));
    const p = options.partition;
    const manifest: DistilManifest = {
      format: 'wearnet-distil',
      version: 1,
      method: options.method,
      preset: preset.name,
      spec,
      devices: options.devices,
      parts: p.parts.length,
      partition: {
        method: p.method,
        seed: p.seed,
        filters: p.filters,
        used: p.parts.reduce((a, q) => a + q.length, 0),
        ...(p.source !== undefined ? { source: p.source } : {}),
      },
      studentMacs: costs.map((c) => c.macs),
      studentParams: costs.map((c) => c.params),
      headParams: task.headKernel.size + task.headBias.size,
      epochs,
      batchSize: options.batchSize ?? preset.batchSize,
      peakLr: options.peakLr ?? preset.peakLr,
      seed,
      workers: run.workers,
      backend: run.backend,
      trainSeconds: run.seconds,
      testAccuracy: final.accuracy,
      failures,
      history: run.history,
      teacher: { dir: options.teacherDir, testAccuracy: teacherManifest.testAccuracy, macs: teacherManifest.macs, preset: teacherManifest.preset },
      data: options.dataSource ?? {},
      createdAt: new Date().toISOString(),
    };
    await writeFile(join(options.outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return { finished: true, epochsDone: run.epochsDone, manifest };
  } finally {
    await run.pool.close();
  }
}
