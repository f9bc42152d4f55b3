#!/usr/bin/env node
'use strict';
// GMAC/s of forward convolution and of wearnet's wasm gradient kernels on the same shapes (one thread).
// Usage: node bench/kernels.js [--reps 5]
const rt = require('../packages/runtime/dist/index.js');
const tf = require('@tensorflow/tfjs');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

function time(f, reps) {
  f();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  return (performance.now() - t0) / reps;
}

const SHAPES = [
  // [label, N, H, Ci, Co, K, stride]
  ['reference conv1', 64, 32, 3, 32, 3, 1],
  ['reference conv2', 64, 32, 32, 64, 3, 2],
  ['reference conv3', 64, 16, 64, 64, 3, 2],
  ['WRN-10-2 g1 conv', 64, 32, 32, 32, 3, 1],
  ['WRN-10-2 g2 conv', 64, 16, 64, 64, 3, 1],
  ['WRN-10-2 g3 conv', 64, 8, 128, 128, 3, 1],
];

(async () => {
  const reps = Number(arg('reps', '5'));
  const info = await rt.initRuntime({ backend: 'wasm' });
  console.log(`backend ${info.backend} (simd ${info.simd}), tfjs ${info.tfVersion}, ${reps} reps after 1 warm-up`);
  console.log('| shape | N,H,Ci->Co,k,s | MMAC | forward GMAC/s | backprop-input GMAC/s (ratio) | backprop-filter GMAC/s (ratio) |');
  console.log('|---|---|---|---|---|---|');
  for (const [label, N, H, Ci, Co, K, s] of SHAPES) {
    const x = tf.randomNormal([N, H, H, Ci]);
    const w = tf.randomNormal([K, K, Ci, Co]);
    const OH = Math.ceil(H / s);
    const dy = tf.randomNormal([N, OH, OH, Co]);
    const macs = N * OH * OH * K * K * Ci * Co;
    const fwd = time(
      () =>
        tf.tidy(() => {
          tf.conv2d(x, w, s, 'same').dataSync();
        }),
      reps,
    );
    const bi = time(
      () =>
        tf.tidy(() => {
          tf.conv2dTranspose(dy, w, [N, H, H, Ci], s, 'same').dataSync();
        }),
      reps,
    );
    const bf = time(
      () =>
        tf.tidy(() => {
          tf.engine()
            .runKernel('Conv2DBackpropFilter', { x, dy }, { strides: s, pad: 'same', dataFormat: 'NHWC', filterShape: [K, K, Ci, Co] })
            .dataSync();
        }),
      reps,
    );
    const g = (ms) => macs / ms / 1e6;
    console.log(
      `| ${label} | ${N},${H},${Ci}->${Co},${K},${s} | ${(macs / 1e6).toFixed(0)} | ${g(fwd).toFixed(2)} | ${g(bi).toFixed(2)} (${(fwd / bi).toFixed(2)}) | ${g(bf).toFixed(2)} (${(fwd / bf).toFixed(2)}) |`,
    );
    tf.dispose([x, w, dy]);
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
