'use strict';
// The emulator's own cost: CPU time of every cluster process per inference (after start-up),
// split by role, memory per device process, and cluster start time, for 4, 8 and 16 devices.
// Usage: node bench/emulator-cpu.js [--requests N]   Build first: npx tsc -b
const path = require('node:path');
const { tempDir, writeTopology, runTopology, randomBundles, printTable } = require('./emulator-common');

const requests = Number((process.argv.includes('--requests') && process.argv[process.argv.indexOf('--requests') + 1]) || 300);
const dir = tempDir('cpu');
const bundles16 = randomBundles(path.join(dir, 'bundles-16'), ['--devices', '16', '--parts', '8', '--seed', '2']);

const rows = [];
for (const [devices, inputMode] of [
  [4, 'local'],
  [8, 'local'],
  [8, 'broadcast'],
  [16, 'local'],
]) {
  const file = writeTopology(dir, {
    name: `cpu-${devices}-${inputMode}`,
    seed: 1,
    bundles: bundles16,
    link: { preset: 'eqs-30m' },
    devices: { count: devices, class: 'cortex-a53-1200' },
    workload: { dataset: { source: 'shipped', count: requests }, inputMode, deadlineMs: 2000 },
  });
  const { summary } = runTopology(file, path.join(dir, `out-${rows.length}`));
  const n = summary.requests.finalised;
  const cpu = (name) => {
    const p = summary.processes[name];
    return p.cpuUserMs + p.cpuSystemMs - p.readyCpuMs;
  };
  const deviceNames = Object.keys(summary.processes).filter((k) => k !== 'medium' && k !== 'aggregator');
  const deviceCpu = deviceNames.reduce((a, k) => a + cpu(k), 0);
  const rss = deviceNames.map((k) => summary.processes[k].maxRssKb / 1024);
  rows.push([
    devices,
    inputMode,
    n,
    summary.emulatorCpuMsPerInference.toFixed(1),
    (cpu('medium') / n).toFixed(2),
    (cpu('aggregator') / n).toFixed(2),
    (deviceCpu / n / devices).toFixed(2),
    Math.max(...rss).toFixed(0),
    (summary.processes.medium.maxRssKb / 1024).toFixed(0),
    (summary.run.startupMs / 1000).toFixed(1),
    (summary.startupCpuMs / 1000).toFixed(1),
    (summary.wallMs / n).toFixed(1),
  ]);
}
console.log(`eqs-30m (so the medium is not the bottleneck), Cortex-A53 class, closed loop, ${requests} requests; CPU after each process was ready`);
printTable(
  [
    'devices',
    'input',
    'requests',
    'CPU ms/inference (all)',
    'medium',
    'aggregator',
    'per device',
    'device RSS MiB (max)',
    'medium RSS MiB',
    'start s',
    'start-up CPU s',
    'host ms/inference',
  ],
  rows,
);
