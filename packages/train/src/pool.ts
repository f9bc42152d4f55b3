import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { IMAGE_BYTES } from '@wearnet/data';
import { createAllReduceBuffers } from './all-reduce';
import { TrainError } from './errors';
import type { FromWorker, SharedSplit, ToWorker, WorkerInit } from './worker-messages';

/** Path of the compiled worker entry (works from `dist` and, after a build, from sources under jest). */
function workerScript(): string {
  const local = join(__dirname, 'worker-main.js');
  if (existsSync(local)) return local;
  return join(__dirname, '..', 'dist', 'worker-main.js');
}

/** Copies a split into shared memory so every worker reads it without its own copy. */
export function shareSplit(pixels: Uint8Array, labels: Uint8Array, count: number): SharedSplit {
  const p = new SharedArrayBuffer(count * IMAGE_BYTES);
  new Uint8Array(p).set(pixels.subarray(0, count * IMAGE_BYTES));
  const l = new SharedArrayBuffer(count);
  new Uint8Array(l).set(labels.subarray(0, count));
  return { count, pixels: p, labels: l };
}

type Listener = (msg: FromWorker) => void;

/**
 * Data-parallel training workers (one thread each, one wasm/tfjs instance each), kept in lock-step
 * by the all-reduce barrier; the pool only hands out work and gathers answers.
 */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly listeners = new Set<Listener>();
  private failure: TrainError | undefined;
  params = 0;
  backend = '';

  private constructor(readonly size: number) {}

  /** Starts `size` workers for `init` (rank filled in per worker), then attaches the all-reduce buffers sized to the task. */
  static async start(size: number, init: Omit<WorkerInit, 'rank' | 'workers'>): Promise<WorkerPool> {
    const pool = new WorkerPool(size);
    for (let rank = 0; rank < size; rank++) {
      const w = new Worker(workerScript(), { execArgv: [] });
      w.on('message', (msg: FromWorker) => {
        if (msg.type === 'error') pool.fail(new TrainError('E_WORKER_FAILED', `worker ${msg.rank}: ${msg.message}`));
        for (const l of pool.listeners) l(msg);
      });
      w.on('error', (err) => pool.fail(new TrainError('E_WORKER_FAILED', `worker ${rank} crashed: ${err.message}`, { cause: err })));
      w.on('exit', (code) => {
        if (code !== 0) pool.fail(new TrainError('E_WORKER_FAILED', `worker ${rank} exited with code ${code}`));
      });
      pool.workers.push(w);
    }
    const ready = pool.collect('ready', size);
    pool.workers.forEach((w, rank) => w.postMessage({ type: 'init', init: { ...init, rank, workers: size } } satisfies ToWorker));
    const replies = await ready;
    pool.params = (replies[0] as { params: number }).params;
    pool.backend = (replies[0] as { backend: string }).backend;
    const attached = pool.collect('done', size, 'attach');
    pool.send({ type: 'attach', allReduce: createAllReduceBuffers(size, pool.params) });
    await attached;
    return pool;
  }

  private fail(err: TrainError): void {
    if (this.failure === undefined) this.failure = err;
    for (const l of this.listeners) l({ type: 'error', rank: -1, message: err.message });
  }

  /** Subscribes to every worker message (progress); returns the unsubscribe function. */
  onMessage(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for `count` messages of `type` (one per worker unless said otherwise). */
  collect(type: FromWorker['type'], count = this.size, of?: string): Promise<FromWorker[]> {
    return new Promise((resolve, reject) => {
      if (this.failure !== undefined) {
        reject(this.failure);
        return;
      }
      const got: FromWorker[] = [];
      const off = this.onMessage((msg) => {
        if (msg.type === 'error') {
          off();
          reject(this.failure ?? new TrainError('E_WORKER_FAILED', msg.message));
          return;
        }
        if (msg.type !== type || (of !== undefined && (msg as { of?: string }).of !== of)) return;
        got[(msg as { rank: number }).rank] = msg;
        if (got.filter((m) => m !== undefined).length === count) {
          off();
          resolve(got.filter((m) => m !== undefined));
        }
      });
    });
  }

  /** Sends a message to one worker or all. */
  send(msg: ToWorker, rank?: number): void {
    if (rank !== undefined) this.workers[rank].postMessage(msg);
    else for (const w of this.workers) w.postMessage(msg);
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
