'use strict';
// Throughput of @wearnet/data fillBatch (CIFAR-100 bytes -> normalised NHWC float32), with and
// without augmentation (random crop, padding 4, + horizontal flip).
// Usage: npx tsc -b packages/data && node bench/data-fill-batch.js [--data DIR] [--seconds S]
// Without --data (or WEARNET_DATA) it uses the shipped 1000-image test subset.
const { performance } = require('node:perf_hooks');
const data = require('../packages/data/dist/index.js');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1];
}

async function main() {
  const dirArg = arg('--data', process.env.WEARNET_DATA);
  const seconds = Number(arg('--seconds', '1.5'));
  const split = dirArg ? await data.loadCifar100({ dir: dirArg, split: 'train' }) : await data.loadShippedTestSubset();
  const rows = [];
  for (const batch of [64, 256]) {
    for (const mode of ['plain', 'augment']) {
      const out = new Float32Array(batch * data.IMAGE_BYTES);
      const rng = data.createRng(1);
      const order = data.shuffledIndices(split.count, rng);
      const indices = new Uint32Array(batch);
      let images = 0;
      let cursor = 0;
      const run = () => {
        for (let i = 0; i < batch; i++) indices[i] = order[(cursor + i) % split.count];
        cursor = (cursor + batch) % split.count;
        data.fillBatch({ split, indices, out, augment: mode === 'augment' ? { rng } : undefined });
        images += batch;
      };
      for (let w = 0; w < 20; w++) run(); // warm-up
      images = 0;
      const start = performance.now();
      let elapsed = 0;
      while (elapsed < seconds * 1000) {
        run();
        elapsed = performance.now() - start;
      }
      rows.push({ batch, mode, images, ms: elapsed, perSec: (images / elapsed) * 1000 });
    }
  }
  process.stdout.write(`source: ${dirArg ? `${dirArg} train (${split.count} images)` : `shipped subset (${split.count} images)`}; node ${process.version}\n`);
  process.stdout.write('| batch | mode | images | ms | images/s | us/image |\n|---:|---|---:|---:|---:|---:|\n');
  for (const r of rows) {
    process.stdout.write(
      `| ${r.batch} | ${r.mode} | ${r.images} | ${r.ms.toFixed(0)} | ${Math.round(r.perSec).toLocaleString('en-US')} | ${(1e6 / r.perSec).toFixed(2)} |\n`,
    );
  }
}

main().catch((err) => {
  process.stderr.write(`${err && err.code ? err.code + ': ' : ''}${err && err.message ? err.message : err}\n`);
  process.exitCode = 1;
});
