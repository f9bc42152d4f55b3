#!/usr/bin/env node
'use strict';
// Training throughput on the wasm (or forced) backend: images/s per network and worker count,
// with the tensor count of every worker before and after the timed steps (a leak shows as growth).
// Usage: node bench/train-throughput.js [--steps 40] [--warmup 5] [--workers 1,2] [--nets reference,teacher,distil,distil-targets,distil-ops,paper]
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { WorkerPool } = require('../packages/train/dist/index.js');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const NETS = {
  reference: { task: { kind: 'reference', classes: 10 }, batch: 64, opt: { kind: 'adam' }, lr: 1e-3, note: 'issue reference CNN, Adam' },
  teacher: {
    task: { kind: 'teacher', model: { depth: 10, widthFactor: 2, classes: 100 } },
    batch: 128,
    opt: { momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
    lr: 0.05,
    note: 'quick teacher WRN-10-2, SGD',
  },
  paper: {
    task: { kind: 'teacher', model: { depth: 40, widthFactor: 4, classes: 100, dropout: 0.3 } },
    batch: 32,
    opt: { momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
    lr: 0.05,
    note: 'paper teacher WRN-40-4, SGD',
  },
};

// The default student setting: 8 plain 16/32/64 students (averaging, 4 parts of 32 of the
// quick teacher's 128 filters) distilled from a randomly initialised WRN-10-2 teacher saved here.
// `distil` runs the teacher forward every step (the path before precomputed targets);
// `distil-targets` looks the teacher's outputs up in targets built first (build time reported apart);
// `distil-ops` also runs the students as plain ops (`engine: 'ops'`).
async function distilNet(images, withTargets, engine) {
  const rt = require('../packages/runtime/dist/index.js');
  const { buildWideResNet } = require('../packages/models/dist/index.js');
  const { DISTIL_TASK_MODULE, DEFAULT_DISTIL_LOSS } = require('../packages/distil/dist/index.js');
  await rt.initRuntime();
  const teacherDir = mkdtempSync(join(tmpdir(), 'wearnet-bench-teacher-'));
  await rt.saveModelToDir(buildWideResNet({ depth: 10, widthFactor: 2 }), join(teacherDir, 'model'));
  const parts = [0, 1, 2, 3].map((p) => Array.from({ length: 32 }, (_, i) => p * 32 + i));
  const task = {
    kind: 'distil',
    modules: [DISTIL_TASK_MODULE],
    teacherDir,
    parts,
    layout: { fusion: 'part-average', devicePart: [0, 1, 2, 3, 0, 1, 2, 3], partWidths: [32, 32, 32, 32] },
    student: { arch: 'plain', widths: [16, 32, 64] },
    loss: DEFAULT_DISTIL_LOSS,
    failureDropout: 0,
    classes: 100,
    seed: 1,
    engine,
  };
  const net = {
    cleanup: () => rmSync(teacherDir, { recursive: true, force: true }),
    task,
    batch: 128,
    opt: { momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
    lr: 0.05,
    note: 'quick distillation: 8 students + WRN-10-2 teacher forward per step',
  };
  if (!withTargets) return net;
  const { buildTeacherTargets, loadRunTargets } = require('../packages/distil/dist/index.js');
  const train = { count: images.count, pixels: new Uint8Array(images.pixels) };
  const targetsDir = join(teacherDir, 'targets');
  const t0 = performance.now();
  await buildTeacherTargets({ teacherDir, train, views: 1, outDir: targetsDir, workers: Number(arg('workers', '1,2').split(',').pop()) });
  const built = (performance.now() - t0) / 1000;
  const targets = await loadRunTargets({ dir: targetsDir, parts, train, teacherDir });
  return {
    ...net,
    task: { ...task, targets: targets.id },
    views: { views: targets.views, count: targets.count, table: targets.table },
    taskData: targets,
    note: `8 students (${engine} engine), teacher targets looked up (built once: ${images.count} images in ${built.toFixed(1)} s)`,
  };
}

function randomSplit(count, seed) {
  const pixels = new SharedArrayBuffer(count * 3072);
  const labels = new SharedArrayBuffer(count);
  const p = new Uint8Array(pixels);
  const l = new Uint8Array(labels);
  let s = seed;
  for (let i = 0; i < p.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    p[i] = s >>> 24;
  }
  for (let i = 0; i < count; i++) l[i] = i % 100;
  return { count, pixels, labels };
}

async function measure(netName, workers, steps, warmup) {
  const batchOf = netName.startsWith('distil') ? 128 : NETS[netName].batch;
  const images = batchOf * (steps + warmup);
  const train = randomSplit(images, 7);
  const net = netName.startsWith('distil') ? await distilNet(train, netName !== 'distil', netName === 'distil-ops' ? 'ops' : 'layers') : NETS[netName];
  const pool = await WorkerPool.start(workers, {
    task: net.task,
    sgd: net.opt,
    schedule: { kind: 'step', peak: net.lr, factor: 1, milestones: [] },
    seed: 1,
    augment: { cropPadding: 4, flip: true },
    train,
    ...(net.views !== undefined ? { views: net.views, taskData: net.taskData } : {}),
  });
  const memory = async () => {
    const replies = pool.collect('memory');
    pool.send({ type: 'get-memory' });
    return (await replies).map((m) => m.numTensors);
  };
  const times = [];
  const off = pool.onMessage((m) => {
    if (m.type === 'step' && m.rank === 0) times.push(performance.now());
  });
  const before = await memory();
  const done = pool.collect('epoch-done');
  pool.send({ type: 'epoch', epoch: 0, indices: Int32Array.from({ length: images }, (_, i) => i), batchSize: net.batch, firstStep: 0 });
  await done;
  off();
  const after = await memory();
  await pool.close();
  if (net.cleanup) net.cleanup();
  const timed = times.slice(warmup - 1);
  const seconds = (timed[timed.length - 1] - timed[0]) / 1000;
  const ips = (net.batch * (timed.length - 1)) / seconds;
  return {
    net: netName,
    note: net.note,
    backend: pool.backend,
    workers,
    batch: net.batch,
    steps,
    ips,
    msPerStep: (seconds * 1000) / (timed.length - 1),
    tensorsBefore: before.join('/'),
    tensorsAfter: after.join('/'),
  };
}

(async () => {
  const steps = Number(arg('steps', '40'));
  const warmup = Number(arg('warmup', '5'));
  const workerCounts = arg('workers', '1,2').split(',').map(Number);
  const nets = arg('nets', 'reference,teacher').split(',');
  const rows = [];
  for (const net of nets) for (const w of workerCounts) rows.push(await measure(net, w, steps, warmup));
  console.log('| network | backend | workers | global batch | timed steps | ms/step | images/s | tensors before -> after (per worker) |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.net} (${r.note}) | ${r.backend} | ${r.workers} | ${r.batch} | ${r.steps} | ${r.msPerStep.toFixed(0)} | ${r.ips.toFixed(1)} | ${r.tensorsBefore} -> ${r.tensorsAfter} |`,
    );
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
