import { mkdir } from 'node:fs/promises';
import { createRng, shuffledIndices } from '@wearnet/data';
import { checkpointDir, configHash, readCheckpointOptimizer, readCheckpointState, writeCheckpoint, type CheckpointState, type EpochRecord } from './checkpoint';
import { optionError, TrainError } from './errors';
import { shareSplit, WorkerPool } from './pool';
import { checkSchedule, type Schedule } from './schedule';
import type { SgdOptions } from './sgd';
import type { TaskSpec } from './task';
import { streamSeed } from './stream-seed';
import type { FromWorker, SharedViews } from './worker-messages';

/** Images with fine labels, as `@wearnet/data` loads them. */
export interface LabelledImages {
  count: number;
  pixels: Uint8Array;
  fine: Uint8Array;
}

/** Progress events of a training run. */
export type TrainEvent =
  | { type: 'start'; workers: number; backend: string; params: number; epochs: number; stepsPerEpoch: number; startEpoch: number }
  | {
      type: 'step';
      epoch: number;
      step: number;
      stepInEpoch: number;
      stepsPerEpoch: number;
      loss: number;
      accuracy: number;
      lr: number;
      imagesPerSecond: number;
    }
  | { type: 'epoch'; record: EpochRecord }
  | { type: 'checkpoint'; dir: string; epoch: number };

/** Options of {@link runTraining}. */
export interface TrainRunOptions {
  task: TaskSpec;
  /**
   * What identifies the task for resuming, when `task` holds machine-specific values (module
   * paths, directories): the checkpoint records its hash, so a run moved to another directory or
   * machine still resumes. Default `task`. A checkpoint whose hash is that of `task` itself is
   * accepted too.
   */
  identity?: unknown;
  /** Run directory: checkpoint and final artifacts go here. */
  outDir: string;
  epochs: number;
  /** Global batch size (split evenly across workers); default 128. */
  batchSize?: number;
  /** Learning-rate schedule, given the steps per epoch. */
  schedule: (stepsPerEpoch: number) => Schedule;
  sgd?: SgdOptions;
  augment?: { cropPadding?: number; flip?: boolean };
  /** Seed of shuffling and augmentation; default 1. */
  seed?: number;
  /** Worker threads; default 2 (this machine's cores). The global batch must divide evenly. */
  workers?: number;
  train: LabelledImages;
  test?: LabelledImages;
  /** Evaluate on `test` every this many epochs (and after the last); default 1. */
  evalEvery?: number;
  /** Continue from the checkpoint in `outDir` if there is one; default true. */
  resume?: boolean;
  /** Stop after this many epochs in this call (the rest on a later resume); default all. */
  maxEpochsThisRun?: number;
  /** Force a TensorFlow.js backend in the workers. */
  backend?: string;
  /** Precomputed augmentations (epoch e uses view e mod views) instead of random draws; part of the configuration. */
  views?: SharedViews;
  /** Shared data for the task factory (teacher targets); identify it in the task spec, which the configuration hash covers. */
  taskData?: unknown;
  onEvent?: (event: TrainEvent) => void;
}

/** The optional controls of a run that the recipes (teacher, distillation) pass through unchanged. */
export type RunControls = Pick<TrainRunOptions, 'workers' | 'resume' | 'maxEpochsThisRun' | 'backend' | 'onEvent'>;

/** Copies the {@link RunControls} that are set (absent ones keep runTraining's defaults). */
export function runControls(options: RunControls): RunControls {
  const out: RunControls = {};
  if (options.workers !== undefined) out.workers = options.workers;
  if (options.resume !== undefined) out.resume = options.resume;
  if (options.maxEpochsThisRun !== undefined) out.maxEpochsThisRun = options.maxEpochsThisRun;
  if (options.backend !== undefined) out.backend = options.backend;
  if (options.onEvent !== undefined) out.onEvent = options.onEvent;
  return out;
}

/** Outcome of {@link runTraining}. */
export interface TrainRunResult {
  pool: WorkerPool;
  history: EpochRecord[];
  finished: boolean;
  epochsDone: number;
  seconds: number;
  workers: number;
  backend: string;
  params: number;
}

/** Evaluates the pool's replicas on `[0, count)` of a split, sharded across workers. */
export async function evaluatePool(pool: WorkerPool, split: 'train' | 'test', count: number, batchSize = 250): Promise<{ accuracy: number; loss: number }> {
  const per = Math.ceil(count / pool.size);
  const replies = pool.collect('evaluated');
  for (let r = 0; r < pool.size; r++) {
    pool.send({ type: 'evaluate', split, start: Math.min(count, r * per), end: Math.min(count, (r + 1) * per), batchSize }, r);
  }
  let correct = 0;
  let n = 0;
  let lossSum = 0;
  for (const m of (await replies) as Array<Extract<FromWorker, { type: 'evaluated' }>>) {
    correct += m.correct;
    n += m.count;
    lossSum += m.lossSum;
  }
  return { accuracy: correct / Math.max(1, n), loss: lossSum / Math.max(1, n) };
}

/** Averages the replicas' non-trainable state (batch-norm statistics) and gives every replica the mean. */
export async function syncState(pool: WorkerPool): Promise<void> {
  if (pool.size === 1) return;
  const replies = pool.collect('state');
  pool.send({ type: 'get-state' });
  const states = ((await replies) as Array<Extract<FromWorker, { type: 'state' }>>).map((m) => m.state);
  const mean = new Float32Array(states[0].length);
  for (const s of states) for (let i = 0; i < mean.length; i++) mean[i] += s[i] / states.length;
  const done = pool.collect('done', pool.size, 'set-state');
  pool.send({ type: 'set-state', state: mean });
  await done;
}

/** Asks `rank` to do `msg` and waits for its `done`. */
async function ask(pool: WorkerPool, msg: Parameters<WorkerPool['send']>[0] & { type: string }, of: string, rank?: number): Promise<FromWorker[]> {
  const done = pool.collect('done', rank === undefined ? pool.size : 1, of);
  pool.send(msg, rank);
  return done;
}

/**
 * Trains a task data-parallel on worker threads with checkpoint/resume. Leaves the pool open in the
 * result so the caller can evaluate or export; the caller closes it.
 */
export async function runTraining(options: TrainRunOptions): Promise<TrainRunResult> {
  const workers = options.workers ?? 2;
  const batchSize = options.batchSize ?? 128;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw optionError('workers', `must be an integer in 1..64, got ${workers}`);
  if (!Number.isInteger(batchSize) || batchSize < workers || batchSize % workers !== 0) {
    throw optionError('batchSize', `must be a positive multiple of workers (${workers}), got ${batchSize}`);
  }
  if (!Number.isInteger(options.epochs) || options.epochs < 1) throw optionError('epochs', `must be a positive integer, got ${options.epochs}`);
  const stepsPerEpoch = Math.floor(options.train.count / batchSize);
  if (stepsPerEpoch < 1) throw optionError('batchSize', `larger than the training set (${options.train.count} images)`);
  const schedule = checkSchedule(options.schedule(stepsPerEpoch));
  const augment = { cropPadding: options.augment?.cropPadding ?? 4, flip: options.augment?.flip ?? true };
  const sgd = options.sgd ?? {};
  if (options.views !== undefined && options.views.count !== options.train.count) {
    throw optionError('views', `cover ${options.views.count} images, the training split has ${options.train.count}`);
  }
  const views = options.views === undefined ? {} : { views: { views: options.views.views, count: options.views.count } };
  const rest = { epochs: options.epochs, batchSize, schedule, sgd, augment, seed, train: options.train.count, ...views };
  const hash = configHash({ task: options.identity ?? options.task, ...rest });
  const exactHash = configHash({ task: options.task, ...rest });
  await mkdir(options.outDir, { recursive: true });

  let state: CheckpointState | undefined = options.resume === false ? undefined : await readCheckpointState(options.outDir);
  if (state !== undefined && state.configHash !== hash && state.configHash !== exactHash) {
    throw new TrainError(
      'E_CHECKPOINT_MISMATCH',
      `the checkpoint in ${checkpointDir(options.outDir)} was made with another configuration (hash ${state.configHash}, now ${hash}); use another --out or --no-resume`,
    );
  }
  const pool = await WorkerPool.start(workers, {
    task: options.task,
    sgd,
    schedule,
    seed,
    augment,
    train: shareSplit(options.train.pixels, options.train.fine, options.train.count),
    ...(options.test !== undefined ? { test: shareSplit(options.test.pixels, options.test.fine, options.test.count) } : {}),
    ...(options.backend !== undefined ? { backend: options.backend } : {}),
    ...(options.views !== undefined ? { views: options.views } : {}),
    ...(options.taskData !== undefined ? { taskData: options.taskData } : {}),
  });
  try {
    if (state !== undefined) {
      await ask(pool, { type: 'load', dir: checkpointDir(options.outDir) }, 'load');
      await ask(pool, { type: 'set-optimizer', state: await readCheckpointOptimizer(options.outDir) }, 'set-optimizer');
    }
    const history = state?.history ?? [];
    let epochsDone = state?.epoch ?? 0;
    let seconds = state?.seconds ?? 0;
    options.onEvent?.({ type: 'start', workers, backend: pool.backend, params: pool.params, epochs: options.epochs, stepsPerEpoch, startEpoch: epochsDone });
    const lastEpoch = Math.min(options.epochs, epochsDone + (options.maxEpochsThisRun ?? options.epochs));
    for (let epoch = epochsDone; epoch < lastEpoch; epoch++) {
      const indices = Int32Array.from(shuffledIndices(options.train.count, createRng(streamSeed(seed, epoch, 0xffff))));
      const t0 = performance.now();
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      const pending = new Map<number, { loss: number; correct: number; count: number; got: number }>();
      const off = pool.onMessage((msg) => {
        if (msg.type !== 'step') return;
        const p = pending.get(msg.step) ?? { loss: 0, correct: 0, count: 0, got: 0 };
        p.loss += msg.loss * msg.count;
        p.correct += msg.correct;
        p.count += msg.count;
        p.got += 1;
        pending.set(msg.step, p);
        if (p.got < workers) return;
        pending.delete(msg.step);
        lossSum += p.loss;
        correct += p.correct;
        seen += p.count;
        const stepInEpoch = msg.step - epoch * stepsPerEpoch + 1;
        options.onEvent?.({
          type: 'step',
          epoch,
          step: msg.step,
          stepInEpoch,
          stepsPerEpoch,
          loss: p.loss / p.count,
          accuracy: p.correct / p.count,
          lr: msg.lr,
          imagesPerSecond: seen / ((performance.now() - t0) / 1000),
        });
      });
      const done = pool.collect('epoch-done');
      pool.send({ type: 'epoch', epoch, indices, batchSize, firstStep: epoch * stepsPerEpoch });
      await done;
      off();
      const epochSeconds = (performance.now() - t0) / 1000;
      await syncState(pool);
      const record: EpochRecord = {
        epoch: epoch + 1,
        trainLoss: lossSum / Math.max(1, seen),
        trainAccuracy: correct / Math.max(1, seen),
        seconds: epochSeconds,
        imagesPerSecond: seen / epochSeconds,
      };
      const evalEvery = options.evalEvery ?? 1;
      if (options.test !== undefined && ((epoch + 1) % evalEvery === 0 || epoch + 1 === options.epochs)) {
        const r = await evaluatePool(pool, 'test', options.test.count);
        record.testAccuracy = r.accuracy;
        record.testLoss = r.loss;
      }
      history.push(record);
      epochsDone = epoch + 1;
      seconds += epochSeconds;
      options.onEvent?.({ type: 'epoch', record });
      const optimizer = ((await ask(pool, { type: 'get-optimizer' }, 'get-optimizer', 0))[0] as { data: Float32Array }).data;
      state = {
        format: 'wearnet-checkpoint',
        version: 1,
        epoch: epochsDone,
        step: epochsDone * stepsPerEpoch,
        configHash: hash,
        history,
        seconds,
        savedAt: new Date().toISOString(),
      };
      await writeCheckpoint(options.outDir, state, optimizer, async (dir) => {
        await ask(pool, { type: 'save', dir }, 'save', 0);
      });
      options.onEvent?.({ type: 'checkpoint', dir: checkpointDir(options.outDir), epoch: epochsDone });
    }
    return { pool, history, finished: epochsDone >= options.epochs, epochsDone, seconds, workers, backend: pool.backend, params: pool.params };
  } catch (err) {
    await pool.close();
    throw err;
  }
}
