import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initRuntime, sha256Hex } from '@wearnet/runtime';
import { buildWideResNet, countModel, type WideResNetOptions } from '@wearnet/models';
import { readFileSync } from 'node:fs';
import { optionError } from './errors';
import type { Schedule } from './schedule';
import type { SgdOptions } from './sgd';
import type { TeacherTaskSpec } from './teacher-task';
import { evaluatePool, runControls, runTraining, type LabelledImages, type RunControls } from './trainer';
import type { EpochRecord } from './checkpoint';

/** A named teacher recipe. */
export interface TeacherPreset {
  name: string;
  description: string;
  model: WideResNetOptions;
  epochs: number;
  batchSize: number;
  sgd: SgdOptions;
  schedule: (stepsPerEpoch: number, epochs: number) => Schedule;
}

/** Teacher recipes: `quick` fits two CPU cores in a few hours of wasm time; `paper` is NoNN's WRN-40-4. */
export const TEACHER_PRESETS: Record<string, TeacherPreset> = {
  quick: {
    name: 'quick',
    description: 'WRN-10-2 (128 final filters), 15 epochs, batch 128, SGD Nesterov 0.9, wd 5e-4, cosine from 0.1 after 1 warm-up epoch',
    model: { depth: 10, widthFactor: 2, classes: 100, dropout: 0 },
    epochs: 15,
    batchSize: 128,
    sgd: { momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
    schedule: (steps, epochs) => ({ kind: 'cosine', peak: 0.1, floor: 0, warmupSteps: steps, totalSteps: steps * epochs }),
  },
  paper: {
    name: 'paper',
    description: 'WRN-40-4, dropout 0.3, 200 epochs, batch 128, SGD Nesterov 0.9, wd 5e-4, lr 0.1 x0.2 at epochs 60/120/160 (for tfjs-node or a GPU)',
    model: { depth: 40, widthFactor: 4, classes: 100, dropout: 0.3 },
    epochs: 200,
    batchSize: 128,
    sgd: { momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
    schedule: (steps) => ({ kind: 'step', peak: 0.1, factor: 0.2, milestones: [60 * steps, 120 * steps, 160 * steps] }),
  },
  tiny: {
    name: 'tiny',
    description: 'WRN-10-1 with widths 8/16/32, for tests and smoke runs',
    model: { depth: 10, widthFactor: 1, widths: [8, 16, 32], classes: 100, dropout: 0 },
    epochs: 1,
    batchSize: 32,
    sgd: { momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
    schedule: (steps, epochs) => ({ kind: 'cosine', peak: 0.05, floor: 0, warmupSteps: 0, totalSteps: steps * epochs }),
  },
};

/** Options of {@link trainTeacher}. */
export interface TrainTeacherOptions extends RunControls {
  preset: string;
  train: LabelledImages;
  test: LabelledImages;
  outDir: string;
  seed?: number;
  /** Override the preset's epochs. */
  epochs?: number;
  /** Override the preset's batch size. */
  batchSize?: number;
  /** Data provenance written into the manifest. */
  dataSource?: Record<string, unknown>;
}

/** What `manifest.json` of a teacher run holds. */
export interface TeacherManifest {
  format: 'wearnet-teacher';
  version: 1;
  preset: string;
  description: string;
  model: WideResNetOptions;
  macs: number;
  params: number;
  epochs: number;
  batchSize: number;
  seed: number;
  workers: number;
  backend: string;
  trainImages: number;
  testImages: number;
  testAccuracy: number;
  testLoss: number;
  trainSeconds: number;
  history: EpochRecord[];
  data: Record<string, unknown>;
  files: Record<string, string>;
  createdAt: string;
}

/** Resolves a preset name; throws RangeError naming `preset`. */
export function teacherPreset(name: string): TeacherPreset {
  const preset = TEACHER_PRESETS[name];
  if (preset === undefined) throw optionError('preset', `unknown teacher preset "${name}" (known: ${Object.keys(TEACHER_PRESETS).join(', ')})`);
  return preset;
}

/**
 * Trains (or resumes) a teacher, evaluates it on the whole test split, saves `model/` and
 * `manifest.json` in `outDir`. Returns undefined manifest when `maxEpochsThisRun` stopped it early.
 */
export async function trainTeacher(options: TrainTeacherOptions): Promise<{ finished: boolean; epochsDone: number; manifest?: TeacherManifest }> {
  const preset = teacherPreset(options.preset);
  const epochs = options.epochs ?? preset.epochs;
  const task: TeacherTaskSpec = { kind: 'teacher', model: { ...preset.model, seed: options.seed ?? 1 } };
  const run = await runTraining({
    task,
    outDir: options.outDir,
    epochs,
    batchSize: options.batchSize ?? preset.batchSize,
    schedule: (steps) => preset.schedule(steps, epochs),
    sgd: preset.sgd,
    seed: options.seed ?? 1,
    train: options.train,
    test: options.test,
    ...runControls(options),
  });
  try {
    if (!run.finished) return { finished: false, epochsDone: run.epochsDone };
    const final = await evaluatePool(run.pool, 'test', options.test.count);
    const saved = run.pool.collect('done', 1, 'save');
    run.pool.send({ type: 'save', dir: options.outDir }, 0);
    await saved;
    await initRuntime(options.backend !== undefined ? { backend: options.backend as 'wasm' } : {});
    const probe = buildWideResNet(task.model);
    const cost = countModel(probe);
    probe.dispose();
    const files: Record<string, string> = {};
    for (const f of ['model.json', 'weights.bin']) files[`model/${f}`] = sha256Hex(readFileSync(join(options.outDir, 'model', f)));
    const manifest: TeacherManifest = {
      format: 'wearnet-teacher',
      version: 1,
      preset: preset.name,
      description: preset.description,
      model: task.model,
      macs: cost.macs,
      params: cost.params,
      epochs,
      batchSize: options.batchSize ?? preset.batchSize,
      seed: options.seed ?? 1,
      workers: run.workers,
      backend: run.backend,
      trainImages: options.train.count,
      testImages: options.test.count,
      testAccuracy: final.accuracy,
      testLoss: final.loss,
      trainSeconds: run.seconds,
      history: run.history,
      data: options.dataSource ?? {},
      files,
      createdAt: new Date().toISOString(),
    };
    await writeFile(join(options.outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return { finished: true, epochsDone: run.epochsDone, manifest };
  } finally {
    await run.pool.close();
  }
}
