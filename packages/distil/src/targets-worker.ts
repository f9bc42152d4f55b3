import { parentPort } from 'node:worker_threads';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initRuntime, loadModelFromDir } from '@wearnet/runtime';
import { fillBatch, IMAGE_BYTES } from '@wearnet/data';
import { FEATURES_LAYER } from '@wearnet/models';

/** One slice of one view for a targets worker: images [start, end) of the split, written into `logits` and `energy`. */
export interface TargetsJob {
  type: 'job';
  view: number;
  start: number;
  end: number;
  batchSize: number;
}

/** What a targets worker is started with. */
export interface TargetsWorkerInit {
  type: 'init';
  teacherDir: string;
  backend?: string;
  count: number;
  cropPadding: number;
  /** `count * 3072` bytes. */
  pixels: SharedArrayBuffer;
  /** `views * count * 3` int8. */
  table: SharedArrayBuffer;
  /** `count * classes` float32 of the current view. */
  logits: SharedArrayBuffer;
  /** `count * positions * filters` float32 of the current view. */
  energy: SharedArrayBuffer;
}

/** Messages a targets worker posts. */
export type TargetsWorkerReply =
  { type: 'ready'; classes: number; positions: number; filters: number } | { type: 'done'; view: number; images: number } | { type: 'error'; message: string };

async function main(port: NonNullable<typeof parentPort>): Promise<void> {
  let teacher: tf.LayersModel | undefined;
  let init: TargetsWorkerInit | undefined;
  let queue = Promise.resolve();
  port.on('message', (msg: TargetsWorkerInit | TargetsJob | { type: 'stop' }) => {
    queue = queue.then(async () => {
      try {
        if (msg.type === 'stop') process.exit(0);
        if (msg.type === 'init') {
          init = msg;
          await initRuntime(msg.backend !== undefined ? { backend: msg.backend as 'wasm' } : {});
          const loaded = await loadModelFromDir(join(msg.teacherDir, 'model'));
          teacher = tf.model({ inputs: loaded.inputs, outputs: [loaded.getLayer(FEATURES_LAYER).output as tf.SymbolicTensor, loaded.outputs[0]] });
          const [, h, w, c] = teacher.outputs[0].shape as number[];
          port.postMessage({ type: 'ready', classes: teacher.outputs[1].shape[1] as number, positions: h * w, filters: c } satisfies TargetsWorkerReply);
          return;
        }
        if (teacher === undefined || init === undefined) throw new Error('targets worker not initialised');
        runJob(teacher, init, msg);
        port.postMessage({ type: 'done', view: msg.view, images: msg.end - msg.start } satisfies TargetsWorkerReply);
      } catch (err) {
        port.postMessage({ type: 'error', message: (err as Error).message } satisfies TargetsWorkerReply);
      }
    });
  });
}

/** The teacher in inference mode over one slice of a view: logits and squared final-conv features. */
function runJob(teacher: tf.LayersModel, init: TargetsWorkerInit, job: TargetsJob): void {
  const split = { count: init.count, pixels: new Uint8Array(init.pixels) };
  const table = new Int8Array(init.table);
  const logitsOut = new Float32Array(init.logits);
  const energyOut = new Float32Array(init.energy);
  const images = new Float32Array(job.batchSize * IMAGE_BYTES);
  const dy = new Int8Array(job.batchSize);
  const dx = new Int8Array(job.batchSize);
  const mirror = new Int8Array(job.batchSize);
  for (let b = job.start; b < job.end; b += job.batchSize) {
    const n = Math.min(job.batchSize, job.end - b);
    const ids = Int32Array.from({ length: n }, (_, i) => b + i);
    for (let i = 0; i < n; i++) {
      const o = (job.view * init.count + b + i) * 3;
      dy[i] = table[o];
      dx[i] = table[o + 1];
      mirror[i] = table[o + 2];
    }
    fillBatch({ split, indices: ids, out: images, fixed: { dy, dx, mirror, cropPadding: init.cropPadding } });
    tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(0, n * IMAGE_BYTES), [n, 32, 32, 3]);
      const [features, logits] = teacher.predict(x) as [tf.Tensor4D, tf.Tensor2D];
      const l = logits.dataSync() as Float32Array;
      const e = tf.square(features).dataSync() as Float32Array;
      logitsOut.set(l, b * (l.length / n));
      energyOut.set(e, b * (e.length / n));
    });
  }
}

if (parentPort !== null) void main(parentPort);
