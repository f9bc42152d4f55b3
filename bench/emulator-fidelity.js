'use strict';
// Fidelity of predictions: without faults, the cluster's prediction for each image must equal the
// offline evaluation of the same bundles on the same images (target: >= 99.9 % of images).
// The offline side runs every student in this process with TensorFlow.js and fuses with an
// independent float32 TensorFlow.js head (not the aggregator's code).
// Usage: node bench/emulator-fidelity.js [--images N] [--bundles DIR] [--encoding float32|float16|int8]
// Build first: npx tsc -b
const path = require('node:path');
const { ROOT, tempDir, writeTopology, runTopology, printTable } = require('./emulator-common');
const { readBundleSet, deviceDir } = require('../packages/bundle/dist/index.js');
const { loadStudent } = require('../packages/device/dist/index.js');
const { initRuntime } = require('../packages/runtime/dist/index.js');
const tf = require('@tensorflow/tfjs');
const { loadDatasetSlice } = require('../packages/workload/dist/index.js');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function offlinePredictions(setDir, slice) {
  await initRuntime();
  const set = await readBundleSet(setDir);
  const m = set.aggregator.manifest;
  const students = await Promise.all(set.devices.map((_, i) => loadStudent(deviceDir(setDir, i))));
  const head = tf.tensor2d(set.aggregator.head.weights, [m.head.inputs, m.head.outputs]);
  const bias = tf.tensor1d(set.aggregator.head.bias);
  const predictions = [];
  for (let s = 0; s < slice.count; s += 1) {
    const image = slice.pixels.subarray(s * 3072, (s + 1) * 3072);
    const vectors = students.map((st) => st.predict(image));
    const parts = m.partWidths.map((width, p) => {
      const members = vectors.filter((_, d) => m.devicePart[d] === p);
      return tf.tidy(() => (members.length ? tf.stack(members.map((v) => tf.tensor1d(v))).mean(0) : tf.zeros([width])));
    });
    const prediction = tf.tidy(() => tf.concat(parts).reshape([1, -1]).matMul(head).add(bias).argMax(1).dataSync()[0]);
    parts.forEach((t) => t.dispose());
    predictions.push(prediction);
  }
  students.forEach((s) => s.dispose());
  return predictions;
}

async function main() {
  const images = Number(arg('--images', '1000'));
  const bundles = path.resolve(arg('--bundles', path.join(ROOT, 'bundles', 'random-8')));
  const encodings = process.argv.includes('--encoding') ? [arg('--encoding')] : ['float32', 'float16', 'int8'];
  const dir = tempDir('fidelity');
  const slice = await loadDatasetSlice({ source: 'shipped', count: images });
  const offline = await offlinePredictions(bundles, slice);
  const rows = [];
  for (const encoding of encodings) {
    const file = writeTopology(dir, {
      name: `fidelity-${encoding}`,
      seed: 1,
      bundles,
      link: { preset: 'hbc-1m3', lossProbability: 0 },
      devices: { count: 8, class: 'cortex-a53-1200' },
      workload: { dataset: { source: 'shipped', count: images }, inputMode: 'local', deadlineMs: 1000, encoding },
      timeScale: 4,
    });
    const { records, summary, wallMs } = runTopology(file, path.join(dir, `out-${encoding}`));
    let equal = 0;
    for (const r of records) if (r.prediction === offline[r.sample]) equal += 1;
    const offlineAccuracy = records.filter((r) => offline[r.sample] === r.label).length / records.length;
    rows.push([
      encoding,
      records.length,
      `${((100 * equal) / records.length).toFixed(2)} %`,
      `${(100 * summary.requests.accuracy).toFixed(2)} %`,
      `${(100 * offlineAccuracy).toFixed(2)} %`,
      summary.requests.deadlineMisses,
      `${(wallMs / 1000).toFixed(1)} s`,
    ]);
  }
  console.log(`bundles: ${path.relative(ROOT, bundles) || bundles}; 8 devices, hbc-1m3 without loss, local inputs, time scale 4`);
  printTable(['vector encoding', 'images', 'same prediction as offline', 'cluster accuracy', 'offline accuracy', 'deadline misses', 'wall'], rows);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
