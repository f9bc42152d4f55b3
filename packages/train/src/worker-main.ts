import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initRuntime } from '@wearnet/runtime';
import { createRng, fillBatch, IMAGE_BYTES } from '@wearnet/data';
import { AllReduce } from './all-reduce';
import { TrainError } from './errors';
import { createOptimizer, type FlatOptimizer } from './sgd';
import { learningRateAt } from './schedule';
import { streamSeed } from './stream-seed';
import { createTask } from './tasks';
import type { TrainTask } from './task';
import type { FromWorker, SharedSplit, ToWorker, WorkerInit } from './worker-messages';

interface Split {
  count: number;
  pixels: Uint8Array;
  labels: Uint8Array;
}

function view(s: SharedSplit | undefined): Split | undefined {
  return s === undefined ? undefined : { count: s.count, pixels: new Uint8Array(s.pixels), labels: new Uint8Array(s.labels) };
}

class Worker {
  private task!: TrainTask;
  private sgd!: FlatOptimizer;
  private reduce!: AllReduce;
  private train?: Split;
  private test?: Split;

  constructor(
    private readonly init: WorkerInit,
    private readonly post: (msg: FromWorker) => void,
  ) {}

  async start(): Promise<void> {
    const info = await initRuntime(this.init.backend !== undefined ? { backend: this.init.backend as 'wasm' } : {});
    this.task = await createTask(this.init.task, this.init.taskData);
    this.sgd = createOptimizer(this.task.trainable, this.init.sgd);
    this.train = view(this.init.train);
    this.test = view(this.init.test);
    this.post({ type: 'ready', rank: this.init.rank, params: this.sgd.length, backend: info.backend });
  }

  runEpoch(epoch: number, indices: Int32Array, batchSize: number, firstStep: number): void {
    const { rank, workers } = this.init;
    const split = this.train;
    if (split === undefined) throw new TrainError('E_WORKER_FAILED', 'no training split');
    const shard = batchSize / workers;
    const steps = Math.floor(indices.length / batchSize);
    const rng = createRng(streamSeed(this.init.seed, epoch, rank));
    const images = new Float32Array(shard * IMAGE_BYTES);
    const labels = new Int32Array(shard);
    const fixed = this.fixedViews(epoch, shard);
    const t0 = performance.now();
    for (let s = 0; s < steps; s++) {
      const ids = indices.subarray(s * batchSize + rank * shard, s * batchSize + (rank + 1) * shard);
      if (fixed === undefined) fillBatch({ split, indices: ids, out: images, augment: { rng, ...this.init.augment } });
      else fillBatch({ split, indices: ids, out: images, fixed: fixed.select(ids) });
      for (let i = 0; i < shard; i++) labels[i] = split.labels[ids[i]];
      let correct: tf.Scalar | undefined;
      const { value, grads } = tf.tidy(() => {
        const x = tf.tensor4d(images, [shard, 32, 32, 3]);
        const y = tf.tensor1d(labels, 'int32');
        return tf.variableGrads(() => {
          const r = this.task.shardLoss(x, y, { step: firstStep + s, rank, seed: this.init.seed, epoch, indices: ids });
          correct = r.correct;
          return r.loss;
        }, this.task.trainable);
      });
      const input = this.reduce.input;
      let offset = 0;
      for (const v of this.task.trainable) {
        const g = grads[v.name];
        input.set(g.dataSync() as Float32Array, offset);
        offset += v.size;
      }
      tf.dispose(grads);
      const loss = value.dataSync()[0];
      value.dispose();
      const nCorrect = correct === undefined ? 0 : correct.dataSync()[0];
      correct?.dispose();
      const lr = learningRateAt(this.init.schedule, firstStep + s);
      this.sgd.step(this.reduce.average(), lr);
      this.post({ type: 'step', rank, step: firstStep + s, loss, correct: nCorrect, count: shard, lr });
    }
    this.post({ type: 'epoch-done', rank, steps, ms: performance.now() - t0 });
  }

  /** The fixed augmentations of `epoch` (view epoch mod views) when the run has precomputed views. */
  private fixedViews(
    epoch: number,
    shard: number,
  ): { select(ids: Int32Array): { dy: Int8Array; dx: Int8Array; mirror: Int8Array; cropPadding: number } } | undefined {
    const views = this.init.views;
    if (views === undefined) return undefined;
    const table = new Int8Array(views.table);
    const base = (epoch % views.views) * views.count;
    const dy = new Int8Array(shard);
    const dx = new Int8Array(shard);
    const mirror = new Int8Array(shard);
    const cropPadding = this.init.augment.cropPadding;
    return {
      select(ids) {
        for (let i = 0; i < ids.length; i++) {
          const o = (base + ids[i]) * 3;
          dy[i] = table[o];
          dx[i] = table[o + 1];
          mirror[i] = table[o + 2];
        }
        return { dy, dx, mirror, cropPadding };
      },
    };
  }

  getState(): Float32Array {
    const n = this.task.state.reduce((a, v) => a + v.size, 0);
    const out = new Float32Array(n);
    let offset = 0;
    for (const v of this.task.state) {
      out.set(v.dataSync() as Float32Array, offset);
      offset += v.size;
    }
    return out;
  }

  setState(state: Float32Array): void {
    let offset = 0;
    for (const v of this.task.state) {
      v.assign(tf.tensor(state.subarray(offset, offset + v.size), v.shape, 'float32'));
      offset += v.size;
    }
  }

  evaluate(which: 'train' | 'test', start: number, end: number, batchSize: number): { correct: number; count: number; lossSum: number } {
    const split = which === 'train' ? this.train : this.test;
    if (split === undefined) throw new TrainError('E_WORKER_FAILED', `no ${which} split`);
    let correct = 0;
    let lossSum = 0;
    const images = new Float32Array(batchSize * IMAGE_BYTES);
    for (let b = start; b < end; b += batchSize) {
      const n = Math.min(batchSize, end - b);
      const ids = Int32Array.from({ length: n }, (_, i) => b + i);
      fillBatch({ split, indices: ids, out: images });
      const labels = Int32Array.from(ids, (i) => split.labels[i]);
      const [c, l] = tf.tidy(() => {
        const x = tf.tensor4d(images.subarray(0, n * IMAGE_BYTES), [n, 32, 32, 3]);
        const y = tf.tensor1d(labels, 'int32');
        const logits = this.task.predict(x);
        const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32'));
        const ce = tf.mul(tf.losses.softmaxCrossEntropy(tf.oneHot(y, logits.shape[1]), logits), n);
        return [hits.dataSync()[0], ce.dataSync()[0]];
      });
      correct += c;
      lossSum += l;
    }
    return { correct, count: Math.max(0, end - start), lossSum };
  }

  async handle(msg: ToWorker): Promise<void> {
    const rank = this.init.rank;
    switch (msg.type) {
      case 'epoch':
        this.runEpoch(msg.epoch, msg.indices, msg.batchSize, msg.firstStep);
        return;
      case 'attach':
        this.reduce = new AllReduce(msg.allReduce, rank);
        if (this.reduce.result.length !== this.sgd.length) {
          throw new TrainError('E_WORKER_FAILED', `all-reduce length ${this.reduce.result.length} != parameter count ${this.sgd.length}`);
        }
        this.post({ type: 'done', rank, of: 'attach' });
        return;
      case 'get-state':
        this.post({ type: 'state', rank, state: this.getState() });
        return;
      case 'set-state':
        this.setState(msg.state);
        this.post({ type: 'done', rank, of: 'set-state' });
        return;
      case 'evaluate':
        this.post({ type: 'evaluated', rank, ...this.evaluate(msg.split, msg.start, msg.end, msg.batchSize) });
        return;
      case 'save':
        await this.task.save(msg.dir);
        this.post({ type: 'done', rank, of: 'save' });
        return;
      case 'load':
        await this.task.load(msg.dir);
        this.post({ type: 'done', rank, of: 'load' });
        return;
      case 'get-memory': {
        const m = tf.memory();
        this.post({ type: 'memory', rank, numTensors: m.numTensors, numBytes: m.numBytes, heapBytes: process.memoryUsage().heapUsed });
        return;
      }
      case 'get-optimizer':
        this.post({ type: 'done', rank, of: 'get-optimizer', data: this.sgd.getState() });
        return;
      case 'set-optimizer':
        this.sgd.setState(msg.state);
        this.post({ type: 'done', rank, of: 'set-optimizer' });
        return;
      case 'stop':
        return process.exit(0);
      default:
        throw new TrainError('E_WORKER_FAILED', `unexpected message ${(msg as { type: string }).type}`);
    }
  }
}

if (parentPort !== null) {
  const port = parentPort;
  let worker: Worker | undefined;
  let rank = -1;
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (msg: ToWorker) => {
    queue = queue.then(async () => {
      try {
        if (msg.type === 'init') {
          rank = msg.init.rank;
          worker = new Worker(msg.init, (m) => port.postMessage(m));
          await worker.start();
        } else if (worker === undefined) {
          throw new TrainError('E_WORKER_FAILED', 'worker not initialised');
        } else {
          await worker.handle(msg);
        }
      } catch (err) {
        const e = err as Error;
        port.postMessage({ type: 'error', rank, message: e.message, stack: e.stack } satisfies FromWorker);
      }
    });
  });
}
