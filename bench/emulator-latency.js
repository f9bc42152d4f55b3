'use strict';
// Unloaded latency against the analytic bound: one request at a time, no loss, and the median
// modelled latency compared with the lossless FIFO round of the link model (roundBound).
// Target: |p50 - bound| <= 10 % of the bound + 1 ms. Also shows that a faster time scale keeps
// the modelled latency (the clock is virtualised) until the host can no longer keep up.
// Usage: node bench/emulator-latency.js [--requests N]   Build first: npx tsc -b
const path = require('node:path');
const { ROOT, tempDir, writeTopology, runTopology, printTable } = require('./emulator-common');

const requests = Number((process.argv.includes('--requests') && process.argv[process.argv.indexOf('--requests') + 1]) || 200);
const bundles = path.join(ROOT, 'bundles', 'random-8');

const scenarios = [
  { name: 'body-8 local hbc-1m3 m7', preset: 'hbc-1m3', devices: 8, cls: 'cortex-m7-480', inputMode: 'local', timeScale: 1 },
  { name: 'body-8 local hbc-1m3 m7 x10', preset: 'hbc-1m3', devices: 8, cls: 'cortex-m7-480', inputMode: 'local', timeScale: 10 },
  { name: 'body-4 broadcast hbc-1m3 m7', preset: 'hbc-1m3', devices: 4, cls: 'cortex-m7-480', inputMode: 'broadcast', timeScale: 1 },
  { name: 'body-8 local hbc-164k m4 x10', preset: 'hbc-164k', devices: 8, cls: 'cortex-m4-80', inputMode: 'local', timeScale: 10 },
  { name: 'body-8 local eqs-30m a53', preset: 'eqs-30m', devices: 8, cls: 'cortex-a53-1200', inputMode: 'local', timeScale: 1 },
];

const dir = tempDir('latency');
const rows = [];
for (const s of scenarios) {
  const file = writeTopology(dir, {
    name: s.name.replace(/[^A-Za-z0-9]+/g, '-'),
    seed: 1,
    bundles,
    link: { preset: s.preset, lossProbability: 0 },
    devices: { count: s.devices, class: s.cls },
    workload: { dataset: { source: 'shipped', count: requests }, inputMode: s.inputMode, deadlineMs: 5000 },
    timeScale: s.timeScale,
  });
  const { summary, wallMs } = runTopology(file, path.join(dir, `out-${rows.length}`));
  const p50 = summary.latencyMs.p50;
  const bound = summary.boundMs;
  const ok = Math.abs(p50 - bound) <= 0.1 * bound + 1;
  rows.push([
    s.name,
    summary.requests.finalised,
    bound.toFixed(2),
    p50.toFixed(2),
    summary.latencyMs.p95.toFixed(2),
    `${(((p50 - bound) / bound) * 100).toFixed(2)} %`,
    ok ? 'yes' : 'NO',
    summary.hostLatencyMs.p50.toFixed(1),
    summary.hostLateResults,
    summary.issueLagMs.p95.toFixed(1),
    `${(wallMs / 1000).toFixed(1)} s`,
  ]);
}
printTable(
  [
    'scenario',
    'requests',
    'bound ms',
    'p50 ms',
    'p95 ms',
    'p50 vs bound',
    'within 10 % + 1 ms',
    'host p50 ms (real)',
    'host-late results',
    'issue lag p95 ms',
    'wall',
  ],
  rows,
);
