import { TrainError } from './errors';

/**
 * Averaging all-reduce between the worker threads of one process over a SharedArrayBuffer:
 * each worker writes its vector into its slot, waits at a barrier, and every worker averages all
 * slots itself (identical results, so replicas stay bit-identical without a parameter server).
 */
export interface AllReduceBuffers {
  /** `workers * length` float32 slots. */
  slots: SharedArrayBuffer;
  /** Barrier state: [arrived, generation]. */
  control: SharedArrayBuffer;
  length: number;
  workers: number;
}

/** Allocates the shared buffers for `workers` vectors of `length` floats. */
export function createAllReduceBuffers(workers: number, length: number): AllReduceBuffers {
  return {
    slots: new SharedArrayBuffer(Float32Array.BYTES_PER_ELEMENT * workers * length),
    control: new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * 2),
    length,
    workers,
  };
}

/** The all-reduce endpoint of one worker. */
export class AllReduce {
  private readonly slots: Float32Array;
  private readonly control: Int32Array;
  private readonly mine: Float32Array;
  readonly result: Float32Array;

  constructor(
    private readonly buffers: AllReduceBuffers,
    private readonly rank: number,
    private readonly timeoutMs = 600_000,
  ) {
    this.slots = new Float32Array(buffers.slots);
    this.control = new Int32Array(buffers.control);
    this.mine = this.slots.subarray(rank * buffers.length, (rank + 1) * buffers.length);
    this.result = new Float32Array(buffers.length);
  }

  /** The slot to write this worker's vector into before {@link average}. */
  get input(): Float32Array {
    return this.mine;
  }

  /** Blocks until every worker arrived (sense-reversing barrier on Atomics). */
  barrier(): void {
    const { workers } = this.buffers;
    if (workers === 1) return;
    const generation = Atomics.load(this.control, 1);
    if (Atomics.add(this.control, 0, 1) === workers - 1) {
      Atomics.store(this.control, 0, 0);
      Atomics.add(this.control, 1, 1);
      Atomics.notify(this.control, 1);
      return;
    }
    while (Atomics.load(this.control, 1) === generation) {
      if (Atomics.wait(this.control, 1, generation, this.timeoutMs) === 'timed-out') {
        throw new TrainError('E_WORKER_FAILED', `all-reduce barrier timed out after ${this.timeoutMs} ms (rank ${this.rank})`);
      }
    }
  }

  /** Averages every worker's {@link input} into {@link result}; all workers must call it. */
  average(): Float32Array {
    const { workers, length } = this.buffers;
    this.barrier();
    const out = this.result;
    out.set(this.slots.subarray(0, length));
    for (let w = 1; w < workers; w++) {
      const base = w * length;
      for (let i = 0; i < length; i++) out[i] += this.slots[base + i];
    }
    if (workers > 1) {
      const inv = 1 / workers;
      for (let i = 0; i < length; i++) out[i] *= inv;
    }
    this.barrier();
    return out;
  }
}
