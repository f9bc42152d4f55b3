'use strict';
// MoDNN correctness: the in-process MoDNN executor (one TensorFlow.js runner per device, each
// computing its rows from its own rows and the halos it received) against the single-process teacher
// on the 1000 shipped test images: max |logit diff|, identical predictions, accuracy.
// Usage: node bench/modnn-equality.js [--teacher artifacts/teacher-quick]   Build first: npx tsc -b
const path = require('node:path');
const tf = require('@tensorflow/tfjs');
const { initRuntime, loadModelFromDir } = require('@wearnet/runtime');
const { loadShippedTestSubset, fillBatch } = require('@wearnet/data');
const { graphFromModel, planModnn, runModnnInProcess } = require('@wearnet/modnn');
const { printTable } = require('./emulator-common');

const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const teacherDir = path.resolve(arg('--teacher', path.join(__dirname, '..', 'artifacts', 'teacher-quick')));
const argmax = (v, row, width) => {
  let best = 0;
  for (let j = 1; j < width; j += 1) if (v[row * width + j] > v[row * width + best]) best = j;
  return best;
};

(async () => {
  const runtime = await initRuntime();
  const model = await loadModelFromDir(path.join(teacherDir, 'model'));
  const { graph, weights } = graphFromModel(model);
  const split = await loadShippedTestSubset();
  const n = split.count;
  const images = new Float32Array(n * 3072);
  fillBatch({ split, indices: Array.from({ length: n }, (_, i) => i), out: images });
  const reference = tf.tidy(() => model.predict(tf.tensor4d(images, [n, 32, 32, 3]), { batchSize: 100 }).dataSync());
  const classes = graph.nodes[graph.nodes.length - 1].shape[0];
  const scenarios = [
    ['K = 8, equal speeds, local inputs', new Array(8).fill(480e6), 'local'],
    ['K = 4, equal speeds, local inputs', new Array(4).fill(480e6), 'local'],
    ['K = 4, M7 / M4 / A53 / M7, broadcast inputs', [480e6, 40e6, 2.4e9, 480e6], 'broadcast'],
  ];
  const rows = [];
  for (const [name, speeds, inputMode] of scenarios) {
    const started = Date.now();
    const { logits } = runModnnInProcess({ plan: planModnn({ graph, speeds, inputMode }), weights, images, count: n, batchSize: 100 });
    let maxDiff = 0;
    let same = 0;
    let correct = 0;
    for (let i = 0; i < reference.length; i += 1) maxDiff = Math.max(maxDiff, Math.abs(reference[i] - logits[i]));
    for (let b = 0; b < n; b += 1) {
      const p = argmax(logits, b, classes);
      if (p === argmax(reference, b, classes)) same += 1;
      if (p === split.fine[b]) correct += 1;
    }
    rows.push([name, maxDiff.toExponential(2), `${same} / ${n}`, `${((100 * correct) / n).toFixed(1)} %`, `${((Date.now() - started) / 1000).toFixed(1)} s`]);
  }
  console.log(`teacher ${teacherDir}, backend ${runtime.backend}, ${n} shipped test images\n`);
  printTable(['scenario', 'max |logit diff|', 'identical predictions', 'accuracy', 'host wall'], rows);
})();
