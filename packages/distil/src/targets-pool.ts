import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DistilError } from './errors';
import type { TargetsJob, TargetsWorkerInit, TargetsWorkerReply } from './targets-worker';

/** Worker threads that run the teacher over views of the training images. */
export class TargetsPool {
  private constructor(
    private readonly workers: Worker[],
    readonly shape: { classes: number; positions: number; filters: number },
    private readonly logits: SharedArrayBuffer,
    private readonly energy: SharedArrayBuffer,
    private readonly count: number,
  ) {}

  static async start(size: number, init: Omit<TargetsWorkerInit, 'type' | 'logits' | 'energy'>): Promise<TargetsPool> {
    const script = __filename.endsWith('.ts') ? join(__dirname, '..', 'dist', 'targets-worker.js') : join(__dirname, 'targets-worker.js');
    const workers = Array.from({ length: size }, () => new Worker(script, { execArgv: [] }));
    // The shapes come from the teacher; the first worker reports them, then buffers are sized.
    const first = await reply(workers[0], () =>
      workers[0].postMessage({ type: 'init', ...init, logits: new SharedArrayBuffer(4), energy: new SharedArrayBuffer(4) }),
    );
    if (first.type !== 'ready') throw new DistilError('E_WORKER_FAILED', `targets worker: ${first.type === 'error' ? first.message : first.type}`);
    const logits = new SharedArrayBuffer(init.count * first.classes * 4);
    const energy = new SharedArrayBuffer(init.count * first.positions * first.filters * 4);
    await Promise.all(workers.map((w) => reply(w, () => w.postMessage({ type: 'init', ...init, logits, energy } satisfies TargetsWorkerInit))));
    return new TargetsPool(workers, { classes: first.classes, positions: first.positions, filters: first.filters }, logits, energy, init.count);
  }

  async runView(view: number, batchSize: number): Promise<void> {
    const per = Math.ceil(this.count / this.workers.length);
    await Promise.all(
      this.workers.map(async (w, r) => {
        const job: TargetsJob = { type: 'job', view, start: Math.min(this.count, r * per), end: Math.min(this.count, (r + 1) * per), batchSize };
        const m = await reply(w, () => w.postMessage(job));
        if (m.type !== 'done') throw new DistilError('E_WORKER_FAILED', `targets worker ${r}: ${m.type === 'error' ? m.message : m.type}`);
      }),
    );
  }

  /** The current view's bytes, in file order. */
  viewBytes(): Uint8Array[] {
    return [new Uint8Array(this.logits), new Uint8Array(this.energy)];
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

function reply(w: Worker, send: () => void): Promise<TargetsWorkerReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: TargetsWorkerReply): void => {
      cleanup();
      if (m.type === 'error') reject(new DistilError('E_WORKER_FAILED', `targets worker: ${m.message}`));
      else resolve(m);
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new DistilError('E_WORKER_FAILED', `targets worker crashed: ${err.message}`, { cause: err }));
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new DistilError('E_WORKER_FAILED', `targets worker exited with code ${code}`));
    };
    const cleanup = (): void => {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
    };
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
    send();
  });
}
