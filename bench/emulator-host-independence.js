'use strict';
// Host independence of the modelled clock: the same topology and seed on the host as it is and
// with extra CPU hogs competing for the cores. The modelled latencies must not move (target: p50 and
// p99 within 0.1 ms), the median must sit on the analytic bound (within 0.1 ms), and the summary
// counts the requests whose modelled latency the host disturbed anyway.
// Usage: node bench/emulator-host-independence.js [--requests N] [--devices 8,64] [--hogs 4] [--preset hbc-1m3]
// Build first: npx tsc -b. 64 devices need a 64-device bundle set: wearnet bundles random --devices 64 --out /tmp/random-64
const { spawn } = require('node:child_process');
const path = require('node:path');
const { ROOT, tempDir, writeTopology, runTopology, printTable } = require('./emulator-common');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const requests = Number(arg('--requests', '200'));
const deviceCounts = arg('--devices', '8').split(',').map(Number);
const hogs = Number(arg('--hogs', '4'));
const preset = arg('--preset', 'hbc-1m3');
const bundles64 = arg('--bundles-64', '/tmp/random-64');

function startHogs(n) {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const dir = tempDir('host');
const rows = [];
for (const devices of deviceCounts) {
  const bundles = devices > 8 ? bundles64 : path.join(ROOT, 'bundles', 'random-8');
  const runs = [];
  for (const load of [0, hogs]) {
    const file = writeTopology(dir, {
      name: `host-${devices}-${load}`,
      seed: 7,
      bundles,
      link: preset === 'hbc-1m3' ? { preset, lossProbability: 0 } : { preset },
      devices: { count: devices, class: 'cortex-m7-480' },
      workload: { dataset: { source: 'shipped', count: requests }, inputMode: 'local', deadlineMs: 5000 },
      timeScale: 1,
    });
    const children = startHogs(load);
    try {
      const { summary, records, wallMs } = runTopology(file, path.join(dir, `out-${devices}-${load}`));
      runs.push({ load, summary, records, wallMs });
    } finally {
      children.forEach((c) => c.kill());
    }
  }
  const [base] = runs;
  const baseLatency = new Map(base.records.map((r) => [r.id, r.latencyMs]));
  for (const run of runs) {
    const lat = run.records.map((r) => r.latencyMs).sort((a, b) => a - b);
    const same = run.records.filter((r) => Math.abs(r.latencyMs - baseLatency.get(r.id)) < 1e-6).length;
    const p50 = quantile(lat, 0.5);
    rows.push([
      devices,
      `+${run.load} hogs`,
      run.records.length,
      run.summary.boundMs.toFixed(3),
      p50.toFixed(3),
      (p50 - run.summary.boundMs).toFixed(3),
      quantile(lat, 0.99).toFixed(3),
      (
        p50 -
        quantile(
          base.records.map((r) => r.latencyMs).sort((a, b) => a - b),
          0.5,
        )
      ).toFixed(3),
      (
        quantile(lat, 0.99) -
        quantile(
          base.records.map((r) => r.latencyMs).sort((a, b) => a - b),
          0.99,
        )
      ).toFixed(3),
      `${((100 * same) / run.records.length).toFixed(1)} %`,
      run.summary.hostDisturbed ? `${run.summary.hostDisturbed.requests.length} req / ${run.summary.hostDisturbed.messages} msg` : 'n/a',
      run.summary.medium?.disturbed?.reorderWindow ? run.summary.medium.disturbed.reorderWindow.windowMs.toFixed(2) : 'n/a',
      run.summary.hostLateResults,
      `${(run.wallMs / 1000).toFixed(1)} s`,
    ]);
  }
}
console.log(
  `preset ${preset}, closed loop, local inputs, Cortex-M7, time scale 1, seed 7, ${requests} requests; load: the host as it is, then with ${hogs} busy-loop processes`,
);
printTable(
  [
    'devices',
    'load',
    'requests',
    'bound ms',
    'p50 ms',
    'p50 - bound',
    'p99 ms',
    'p50 vs first',
    'p99 vs first',
    'same latency as first',
    'host-disturbed',
    'hub window ms',
    'host-late',
    'wall',
  ],
  rows,
);
