import type { AllReduceBuffers } from './all-reduce';
import type { SgdOptions } from './sgd';
import type { Schedule } from './schedule';
import type { TaskSpec } from './task';

/** A dataset split shared with workers without copying. */
export interface SharedSplit {
  count: number;
  /** `count * IMAGE_BYTES` bytes, official CHW record order. */
  pixels: SharedArrayBuffer;
  /** `count` fine labels. */
  labels: SharedArrayBuffer;
}

/** Everything a worker needs to start. */
export interface WorkerInit {
  rank: number;
  workers: number;
  task: TaskSpec;
  sgd: SgdOptions;
  schedule: Schedule;
  seed: number;
  augment: { cropPadding: number; flip: boolean };
  train?: SharedSplit;
  test?: SharedSplit;
  backend?: string;
  /** Precomputed augmentations (see `augmentationViews`): epoch e uses view e mod views, instead of random draws. */
  views?: SharedViews;
  /** Shared data handed to the task factory (e.g. precomputed teacher targets); not part of the task spec. */
  taskData?: unknown;
}

/** A table of fixed augmentations shared with workers: `views * count * 3` int8 (dy, dx, mirror). */
export interface SharedViews {
  views: number;
  count: number;
  table: SharedArrayBuffer;
}

/** Messages from the pool to a worker. */
export type ToWorker =
  | { type: 'init'; init: WorkerInit }
  | { type: 'attach'; allReduce: AllReduceBuffers }
  | { type: 'epoch'; epoch: number; indices: Int32Array; batchSize: number; firstStep: number }
  | { type: 'get-state' }
  | { type: 'set-state'; state: Float32Array }
  | { type: 'evaluate'; split: 'train' | 'test'; start: number; end: number; batchSize: number }
  | { type: 'save'; dir: string }
  | { type: 'load'; dir: string }
  | { type: 'get-optimizer' }
  | { type: 'get-memory' }
  | { type: 'set-optimizer'; state: Float32Array }
  | { type: 'stop' };

/** Messages from a worker to the pool. */
export type FromWorker =
  | { type: 'ready'; rank: number; params: number; backend: string }
  | { type: 'step'; rank: number; step: number; loss: number; correct: number; count: number; lr: number }
  | { type: 'epoch-done'; rank: number; steps: number; ms: number }
  | { type: 'state'; rank: number; state: Float32Array }
  | { type: 'evaluated'; rank: number; correct: number; count: number; lossSum: number }
  | { type: 'done'; rank: number; of: string; data?: Float32Array }
  | { type: 'memory'; rank: number; numTensors: number; numBytes: number; heapBytes: number }
  | { type: 'error'; rank: number; message: string; stack?: string };
