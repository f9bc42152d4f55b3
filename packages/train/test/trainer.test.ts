import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluatePool, runTraining, type TrainRunOptions } from '../src/index';
import type { FromWorker } from '../src/worker-messages';
import { syntheticImages } from './synthetic';

const classes = 4;
const model = { depth: 10, widthFactor: 1, widths: [4, 8, 8] as [number, number, number], classes, seed: 3 };

function options(outDir: string, overrides: Partial<TrainRunOptions> = {}): TrainRunOptions {
  return {
    task: { kind: 'teacher', model },
    outDir,
    epochs: 3,
    batchSize: 16,
    schedule: (steps) => ({ kind: 'cosine', peak: 0.05, warmupSteps: 0, totalSteps: steps * 3 }),
    seed: 5,
    workers: 2,
    train: syntheticImages(128, classes, 1),
    test: syntheticImages(64, classes, 2),
    ...overrides,
  };
}

describe('runTraining', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'wearnet-train-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('learns a separable synthetic task on two workers, well above chance', async () => {
    const run = await runTraining(
      options(join(root, 'learn'), { epochs: 4, schedule: (steps) => ({ kind: 'cosine', peak: 0.1, warmupSteps: 0, totalSteps: steps * 4 }) }),
    );
    try {
      expect(run.finished).toBe(true);
      expect(run.history).toHaveLength(4);
      const last = run.history[3];
      expect(last.testAccuracy).toBeGreaterThan(0.6);
      expect(last.trainLoss).toBeLessThan(run.history[0].trainLoss);
    } finally {
      await run.pool.close();
    }
  });

  it('resumes from its checkpoint to exactly the weights of an uninterrupted run', async () => {
    const straight = await runTraining(options(join(root, 'straight')));
    await straight.pool.close();
    const first = await runTraining(options(join(root, 'resumed'), { maxEpochsThisRun: 1 }));
    expect(first.finished).toBe(false);
    await first.pool.close();
    const second = await runTraining(options(join(root, 'resumed')));
    expect(second.finished).toBe(true);
    await second.pool.close();
    const a = readFileSync(join(root, 'straight', 'checkpoint', 'model', 'weights.bin'));
    const b = readFileSync(join(root, 'resumed', 'checkpoint', 'model', 'weights.bin'));
    expect(b.equals(a)).toBe(true);
  });

  it('refuses to resume a checkpoint made with another configuration (E_CHECKPOINT_MISMATCH)', async () => {
    const dir = join(root, 'mismatch');
    const first = await runTraining(options(dir, { maxEpochsThisRun: 1 }));
    await first.pool.close();
    await expect(runTraining(options(dir, { seed: 6 }))).rejects.toMatchObject({ code: 'E_CHECKPOINT_MISMATCH' });
  });

  it('resumes by the task identity when machine-specific task values changed (a moved run), and still refuses another identity', async () => {
    const dir = join(root, 'moved');
    const task = (where: string) => ({ kind: 'teacher', model, where }) as TrainRunOptions['task'];
    const first = await runTraining(options(dir, { task: task('/old/tree'), identity: { model }, maxEpochsThisRun: 1 }));
    expect(first.finished).toBe(false);
    await first.pool.close();
    // Without an identity the changed path is a changed configuration.
    await expect(runTraining(options(dir, { task: task('/new/tree') }))).rejects.toMatchObject({ code: 'E_CHECKPOINT_MISMATCH' });
    await expect(runTraining(options(dir, { task: task('/new/tree'), identity: { model, seed: 2 } }))).rejects.toMatchObject({
      code: 'E_CHECKPOINT_MISMATCH',
    });
    const second = await runTraining(options(dir, { task: task('/new/tree'), identity: { model } }));
    await second.pool.close();
    expect(second.finished).toBe(true);
    expect(second.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(second.history[0]).toEqual(first.history[0]);
  });

  it('accepts a checkpoint whose hash is that of the exact task, made before the task had an identity', async () => {
    const dir = join(root, 'exact');
    const first = await runTraining(options(dir, { maxEpochsThisRun: 1 }));
    await first.pool.close();
    const second = await runTraining(options(dir, { identity: { model, renamed: true } }));
    await second.pool.close();
    expect(second.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
  });

  it('keeps the tensor count of every worker stable over 100 training steps', async () => {
    const run = await runTraining(
      options(join(root, 'leak'), {
        epochs: 1,
        batchSize: 4,
        train: syntheticImages(400, classes, 3),
        schedule: (steps) => ({ kind: 'cosine', peak: 0.01, warmupSteps: 0, totalSteps: steps }),
      }),
    );
    try {
      const ask = async (): Promise<number[]> => {
        const replies = run.pool.collect('memory');
        run.pool.send({ type: 'get-memory' });
        return ((await replies) as Array<Extract<FromWorker, { type: 'memory' }>>).map((m) => m.numTensors);
      };
      const before = await ask();
      const done = run.pool.collect('epoch-done');
      run.pool.send({ type: 'epoch', epoch: 1, indices: Int32Array.from({ length: 400 }, (_, i) => i), batchSize: 4, firstStep: 0 });
      await done;
      await evaluatePool(run.pool, 'test', 64);
      expect(await ask()).toEqual(before);
    } finally {
      await run.pool.close();
    }
  }, 180000); // a hang guard: 100 steps took over 60 s at load 12

  it('rejects a batch size that does not split evenly across workers, naming the option', async () => {
    await expect(runTraining(options(join(root, 'bad'), { batchSize: 15 }))).rejects.toMatchObject({
      code: 'E_OPTION_INVALID',
      message: expect.stringContaining('batchSize'),
    });
  });
});
