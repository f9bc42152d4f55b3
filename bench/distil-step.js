#!/usr/bin/env node
'use strict';
// One distillation step (loss + every gradient of a 64-image shard, one thread) on three paths,
// interleaved in one process so that load on the machine hits all of them alike; reports the median
// CPU milliseconds per step (process.cpuUsage, less sensitive to other processes than wall time)
// and wall milliseconds. Paths: `layers+teacher` (tfjs-layers students, teacher forward every
// step: the path before the throughput work), `layers+targets` (teacher outputs looked up),
// `ops+targets` (students as plain ops, engine 'ops': the default now).
// Usage: node bench/distil-step.js [--reps 5] [--arch plain:16,32,64] [--teacher artifacts/teacher-quick]
const { existsSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

(async () => {
  const rt = require('../packages/runtime/dist/index.js');
  const tf = require('@tensorflow/tfjs');
  const { DistilTask } = require('../packages/distil/dist/index.js');
  const { buildWideResNet } = require('../packages/models/dist/index.js');
  await rt.initRuntime();
  let teacherDir = arg('teacher', 'artifacts/teacher-quick');
  let cleanup = () => {};
  if (!existsSync(join(teacherDir, 'model'))) {
    teacherDir = mkdtempSync(join(tmpdir(), 'wearnet-bench-teacher-'));
    await rt.saveModelToDir(buildWideResNet({ depth: 10, widthFactor: 2 }), join(teacherDir, 'model'));
    cleanup = () => rmSync(teacherDir, { recursive: true, force: true });
  }
  const [archName, w] = arg('arch', 'plain:16,32,64').split(':');
  const student = { arch: archName, widths: w.split(',').map(Number) };
  const parts = [0, 1, 2, 3].map((p) => Array.from({ length: 32 }, (_, i) => p * 32 + i));
  const base = {
    kind: 'distil',
    teacherDir,
    parts,
    layout: { fusion: 'part-average', devicePart: [0, 1, 2, 3, 0, 1, 2, 3], partWidths: [32, 32, 32, 32] },
    student,
    loss: { alpha: 0.9, temperature: 4, beta: 1000 },
    failureDropout: 0,
    classes: 100,
    seed: 1,
  };
  const n = 64;
  // Targets of the right shape (timing does not depend on their values).
  const stride = 100 + parts.length * 64;
  const data = new SharedArrayBuffer(n * stride * 4);
  new Float32Array(data).forEach((_, i, a) => {
    a[i] = ((i * 2654435761) % 1000) / 1e4;
  });
  const targets = {
    views: 1,
    count: n,
    classes: 100,
    parts: parts.length,
    positions: 64,
    stride,
    data,
    table: new SharedArrayBuffer(n * 3),
    id: { teacherSha256: '-', pixelsSha256: '-', views: 1, seed: 1 },
  };
  const paths = [
    ['layers+teacher', await DistilTask.create({ ...base, engine: 'layers' })],
    ['layers+targets', await DistilTask.create({ ...base, engine: 'layers', targets: targets.id }, targets)],
    ['ops+targets', await DistilTask.create({ ...base, engine: 'ops', targets: targets.id }, targets)],
  ];
  const x = tf.randomNormal([n, 32, 32, 3], 0, 1, 'float32', 1);
  const y = tf.tensor1d(
    Array.from({ length: n }, (_, i) => i % 100),
    'int32',
  );
  const ctx = { step: 0, rank: 0, seed: 1, epoch: 0, indices: Int32Array.from({ length: n }, (_, i) => i) };
  const step = (t) => {
    const r = tf.tidy(() => tf.variableGrads(() => t.shardLoss(x, y, ctx).loss, t.trainable));
    Object.values(r.grads).forEach((g) => g.dataSync());
    tf.dispose(r.grads);
    r.value.dispose();
  };
  for (const [, t] of paths) step(t);
  const reps = Number(arg('reps', '5'));
  const cpu = paths.map(() => []);
  const wall = paths.map(() => []);
  for (let r = 0; r < reps; r++) {
    paths.forEach(([, t], i) => {
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      step(t);
      const c = process.cpuUsage(c0);
      cpu[i].push((c.user + c.system) / 1000);
      wall[i].push(performance.now() - w0);
    });
  }
  const med = (a) => a.slice().sort((p, q) => p - q)[a.length >> 1];
  console.log(
    `| path (${archName} ${w}, 8 students, 64 images, 1 thread, ${reps} interleaved reps) | CPU ms/step (median) | wall ms/step (median) | speed-up (CPU) |`,
  );
  console.log('|---|---|---|---|');
  paths.forEach(([name], i) => console.log(`| ${name} | ${med(cpu[i]).toFixed(0)} | ${med(wall[i]).toFixed(0)} | ${(med(cpu[0]) / med(cpu[i])).toFixed(2)} |`));
  cleanup();
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
