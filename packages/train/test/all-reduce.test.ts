import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { AllReduce, createAllReduceBuffers } from '../src/index';

describe('AllReduce', () => {
  it('averages the vectors of one worker to themselves', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 50 }), (v) => {
        const r = new AllReduce(createAllReduceBuffers(1, v.length), 0);
        r.input.set(v);
        expect(Array.from(r.average())).toEqual(Array.from(Float32Array.from(v)));
      }),
    );
  });

  it('gives every one of three threads the same mean of their vectors', async () => {
    const buffers = createAllReduceBuffers(3, 4);
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { AllReduce } = require(workerData.module);
      const r = new AllReduce(workerData.buffers, workerData.rank);
      const out = [];
      for (let round = 0; round < 20; round++) {
        r.input.set([workerData.rank + round, 2 * workerData.rank, -workerData.rank, 1]);
        out.push(Array.from(r.average()));
      }
      parentPort.postMessage(out);
    `;
    const module = require.resolve('../dist/all-reduce.js');
    const results = await Promise.all(
      [0, 1, 2].map(
        (rank) =>
          new Promise<number[][]>((resolve, reject) => {
            const w = new Worker(code, { eval: true, workerData: { buffers, rank, module } });
            w.once('message', resolve);
            w.once('error', reject);
          }),
      ),
    );
    for (let round = 0; round < 20; round++) {
      const expected = [1 + round, 2, -1, 1];
      for (const r of results) expect(r[round]).toEqual(expected);
    }
  });
});
