'use strict';
// Scale on one host (issue 14, item 5): 16, 32, 64 and 128 devices started by `wearnet run` as a
// user would (one OS process per device, the lean device entry point, the bounded start pipeline).
// Per size: time until every device is authenticated and the workload starts, resident memory per
// device process (peak RSS, median and max), emulator CPU per inference (every process, after
// start-up), whether every issued request has exactly one record, and the issue lag (how late the
// aggregator issued each request against the modelled clock) at time scale 1 under an open-loop
// workload the link can carry.
// Usage: node bench/scale.js [--devices 16,32,64,128] [--requests 40] [--rate 2] [--start-concurrency N]
//                            [--bundles DIR] [--time-scale 1]
// Build first: npx tsc -b. Without --bundles it makes a random bundle set for the largest size.
const fs = require('node:fs');
const path = require('node:path');
const { tempDir, writeTopology, runTopology, randomBundles, printTable } = require('./emulator-common');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const sizes = arg('devices', '16,32,64,128').split(',').map(Number);
const requests = Number(arg('requests', '40'));
const rate = Number(arg('rate', '2'));
const timeScale = Number(arg('time-scale', '1'));
const startConcurrency = arg('start-concurrency', undefined);
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !(requests > 0) || !(rate > 0) || !(timeScale > 0)) {
  throw new RangeError('--devices must list positive integers; --requests, --rate and --time-scale must be positive');
}
const dir = tempDir('scale');
const largest = Math.max(...sizes);
const bundles = arg('bundles', undefined) ?? randomBundles(path.join(dir, `bundles-${largest}`), ['--devices', String(largest), '--parts', '8', '--seed', '2']);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const rows = [];
for (const devices of sizes) {
  const file = writeTopology(dir, {
    name: `scale-${devices}`,
    seed: 1,
    bundles,
    timeScale,
    ...(startConcurrency === undefined ? {} : { startConcurrency: Number(startConcurrency) }),
    // eqs-30m so that the shared medium is not the bottleneck; the host is what is measured.
    link: { preset: 'eqs-30m' },
    devices: { count: devices, class: 'cortex-a53-1200' },
    workload: {
      dataset: { source: 'shipped', count: requests },
      requests,
      inputMode: 'local',
      deadlineMs: 2000,
      arrival: { mode: 'open', ratePerSecond: rate },
    },
  });
  const outDir = path.join(dir, `out-${devices}`);
  const { summary, records, wallMs } = runTopology(file, outDir);
  const deviceNames = Object.keys(summary.processes).filter((k) => k.startsWith('device-'));
  const rssMb = deviceNames.map((k) => summary.processes[k].maxRssKb / 1024);
  const ids = new Set(records.map((r) => r.id));
  const complete = summary.complete && records.length === summary.requests.issued && ids.size === records.length && summary.requests.issued === requests;
  rows.push([
    devices,
    (summary.run.startupMs / 1000).toFixed(1),
    (summary.startupCpuMs / 1000).toFixed(1),
    median(rssMb).toFixed(1),
    Math.max(...rssMb).toFixed(1),
    summary.emulatorCpuMsPerInference.toFixed(1),
    (summary.emulatorCpuMsPerInference / devices).toFixed(2),
    `${records.length}/${requests}${complete ? '' : ' INCOMPLETE'}`,
    summary.issueLagMs.p50.toFixed(2),
    summary.issueLagMs.p95.toFixed(2),
    summary.latencyMs.p50.toFixed(2),
    (wallMs / 1000).toFixed(1),
  ]);
  fs.rmSync(outDir, { recursive: true, force: true });
}
console.log(
  `eqs-30m, Cortex-A53 class, local inputs, open loop ${rate}/s, ${requests} requests, time scale ${timeScale}, start concurrency ${startConcurrency ?? 'default'}`,
);
printTable(
  [
    'devices',
    'ready s',
    'start-up CPU s',
    'device RSS MiB median',
    'max',
    'CPU ms/inference',
    'per device',
    'records',
    'issue lag p50 ms',
    'p95 ms',
    'latency p50 ms',
    'wall s',
  ],
  rows,
);
