'use strict';
// MoDNN measured through the running cluster (medium, K device processes' code, hub) next to
// averaging through `wearnet run`: bytes on the medium per inference (total, device-to-device, up,
// down, per device), latency p50/p95/p99 against the analytic bound of each mode's schedule, energy
// per device, and what one missing device does to MoDNN. The MoDNN side runs the medium, the devices
// and the hub in this process (one TensorFlow.js runner per device) over real WebSockets; the
// averaging and NoNN sides run as separate OS processes (`wearnet run`) on random bundles of the
// trained sets' shapes (averaging: 2 parts, one 64-float vector per device as bundles/averaging-8;
// NoNN: a 128-float fused vector; bytes and latency do not depend on the weights). MoDNN's accuracy
// against failed devices: the last f devices never start, f = 0..K, on the first preset.
// Build first: npx tsc -b. Usage:
//   node bench/modnn-cluster.js [--requests 10] [--presets hbc-1m3,hbc-164k] [--ks 4,8] [--time-scale 4] [--no-distilled] [--json FILE]
const path = require('node:path');
const fs = require('node:fs');
const { tempDir, writeTopology, runTopology, randomBundles, printTable, ROOT } = require('./emulator-common');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const requests = Number(opt('requests', '10'));
const presets = opt('presets', 'hbc-1m3,hbc-164k').split(',');
const ks = opt('ks', '4,8').split(',').map(Number);
const timeScale = Number(opt('time-scale', '4'));
const withDistilled = !args.includes('--no-distilled');
const jsonOut = opt('json', undefined);

const W = (name) => require(path.join(ROOT, 'packages', name));
const { startModnnHub } = W('aggregator');
const { startModnnDevice } = W('device');
const { resolveDeviceClass } = W('hardware');
const { hostNowMs, resolveLinkConfig } = W('link');
const { startMedium } = W('medium');
const { exportModnnBundles } = W('modnn');
const { initRuntime } = W('runtime');
const { CIFAR100_MEAN, CIFAR100_STD } = W('data');

const SECRET = 'modnn-cluster-bench-secret';
const m7 = resolveDeviceClass({ name: 'cortex-m7-480' });
const dataset = { source: 'shipped', count: requests };

async function modnnRun({ setDir, preset, k, missing = [], deadlineMs, outDir }) {
  const link = resolveLinkConfig({ preset });
  const epochMs = hostNowMs();
  const medium = await startMedium({ link, seed: 1, secret: SECRET, epochMs, timeScale });
  const devices = Array.from({ length: k }, (_, i) => ({ deviceId: `device-${i}`, deviceIndex: i, deviceClass: m7 }));
  const hub = await startModnnHub({ mediumUrl: medium.url, secret: SECRET, setDir, devices, link, epochMs, timeScale, dataset, requests, deadlineMs, outDir });
  const started = [];
  for (let i = 0; i < k; i += 1) {
    if (missing.includes(i)) continue;
    const options = { deviceId: `device-${i}`, deviceIndex: i, setDir, mediumUrl: medium.url, secret: SECRET, deviceClass: m7, epochMs, timeScale, dataset };
    started.push(await startModnnDevice(options));
  }
  await Promise.all(started.map((d) => d.ready));
  const wall = Date.now();
  hub.begin();
  const summary = await hub.done;
  const wallMs = Date.now() - wall;
  const disturbed = medium.report().disturbed.count;
  await hub.close();
  await Promise.all(started.map((d) => d.close()));
  await medium.close();
  return { summary, wallMs, disturbed };
}

function distilledRun({ dir, preset, k, method }) {
  const shape = method === 'averaging' ? ['--parts', '2'] : [];
  const bundles = path.join(dir, `${method}-${k}`);
  if (!fs.existsSync(bundles)) randomBundles(bundles, ['--devices', String(k), '--method', method, ...shape, '--fused-width', '128']);
  const file = writeTopology(dir, {
    name: `${method}-${k}-${preset}`,
    seed: 1,
    bundles,
    link: { preset },
    devices: { count: k, class: 'cortex-m7-480' },
    workload: { dataset: { source: 'shipped', count: requests }, inputMode: 'local', deadlineMs: 5000 },
    timeScale: 1,
  });
  return runTopology(file, path.join(dir, `out-${method}-${k}-${preset}`)).summary;
}

const f = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '-');
const mj = (nj) => (nj / 1e6).toFixed(3);

(async () => {
  await initRuntime({ backend: 'wasm' });
  const dir = tempDir('modnn-cluster');
  const sets = {};
  for (const k of ks) {
    sets[k] = path.join(dir, `modnn-${k}`);
    await exportModnnBundles({
      teacherDir: path.join(ROOT, 'artifacts', 'teacher-quick'),
      outDir: sets[k],
      devices: k,
      mean: [...CIFAR100_MEAN],
      std: [...CIFAR100_STD],
    });
  }
  const main = [];
  const perDevice = [];
  const perLayer = [];
  const stalls = [];
  const results = { requests, timeScale, modes: [], failures: [] };
  for (const preset of presets) {
    for (const k of ks) {
      const m = await modnnRun({ setDir: sets[k], preset, k, deadlineMs: 60000, outDir: path.join(dir, `out-modnn-${k}-${preset}`) });
      const s = m.summary;
      const t = s.traffic;
      const energies = Object.values(t.devices).map((d) => d.radioTxNj + d.radioRxNj + d.computeNj);
      const distilled = withDistilled ? ['averaging', 'nonn'].map((method) => ({ method, a: distilledRun({ dir, preset, k, method }) })) : [];
      const averaging = distilled[0]?.a;
      const row = {
        preset,
        k,
        mode: 'MoDNN',
        gathered: `${s.requests.completed}/${s.requests.issued}`,
        bytes: t.bytesPerInference,
        peer: t.byDirection.peer,
        up: t.byDirection.up,
        down: t.byDirection.down,
        airtimeMs: t.airtimeMsPerInference,
        boundMs: s.boundMs,
        latencyMs: s.latencyMs,
        energyMeanNj: energies.reduce((x, y) => x + y, 0) / energies.length,
        energyMaxNj: Math.max(...energies),
        accuracy: s.requests.accuracy,
        wallMs: m.wallMs,
        disturbed: m.disturbed,
      };
      results.modes.push(row);
      main.push([
        preset,
        k,
        `MoDNN ${row.gathered}`,
        Math.round(row.bytes),
        `${Math.round(row.peer)} / ${Math.round(row.up)} / ${Math.round(row.down)}`,
        f(row.airtimeMs),
        f(row.boundMs),
        `${f(s.latencyMs.p50)} / ${f(s.latencyMs.p95)} / ${f(s.latencyMs.p99)}`,
        `${mj(row.energyMeanNj)}, ${mj(row.energyMaxNj)}`,
        `${(s.requests.accuracy * 100).toFixed(0)} %`,
        averaging ? `${(t.bytesPerInference / averaging.bytesPerInference.total).toFixed(1)}x` : '-',
        `${(m.wallMs / 1000).toFixed(1)} s, ${m.disturbed} disturbed`,
      ]);
      for (const { method, a } of distilled) {
        const aEnergy = Object.values(a.devices).map((d) => d.energyNjPerInference.total);
        const r = {
          preset,
          k,
          mode: method,
          gathered: `${a.requests.finalised}/${a.requests.issued}`,
          bytes: a.bytesPerInference.total,
          peer: 0,
          up: a.bytesPerInference.up,
          down: a.bytesPerInference.down,
          boundMs: a.boundMs,
          latencyMs: a.latencyMs,
          energyMeanNj: aEnergy.reduce((x, y) => x + y, 0) / aEnergy.length,
          energyMaxNj: Math.max(...aEnergy),
        };
        results.modes.push(r);
        main.push([
          preset,
          k,
          `${method} ${r.gathered}`,
          Math.round(r.bytes),
          `0 / ${Math.round(r.up)} / ${Math.round(r.down)}`,
          '-',
          f(r.boundMs),
          `${f(a.latencyMs.p50)} / ${f(a.latencyMs.p95)} / ${f(a.latencyMs.p99)}`,
          `${mj(r.energyMeanNj)}, ${mj(r.energyMaxNj)}`,
          '(random weights)',
          '',
          '',
        ]);
      }
      if (preset === presets[0]) {
        for (const [id, d] of Object.entries(t.devices)) {
          perDevice.push([
            k,
            id,
            Math.round(d.txBytes),
            Math.round(d.rxBytes),
            Math.round(d.peerTxBytes),
            Math.round(d.peerRxBytes),
            mj(d.radioTxNj),
            mj(d.radioRxNj),
            mj(d.computeNj),
          ]);
        }
        for (const [layer, v] of Object.entries(t.byLayer)) perLayer.push([k, layer, f(v.messages, 0), Math.round(v.bytes)]);
        const deadlineMs = Math.ceil(2 * s.boundMs);
        stalls.push([preset, k, 0, '-', 60000, `${s.requests.stalled}/${s.requests.issued}`, `${(s.requests.accuracy * 100).toFixed(0)} %`]);
        results.failures.push({ preset, k, failed: 0, stalled: s.requests.stalled, issued: s.requests.issued, accuracy: s.requests.accuracy });
        for (let failed = 1; failed <= k; failed += 1) {
          const missing = Array.from({ length: failed }, (_, i) => k - 1 - i);
          const run = await modnnRun({ setDir: sets[k], preset, k, missing, deadlineMs, outDir: path.join(dir, `out-missing-${k}-${failed}-${preset}`) });
          const ms = run.summary;
          const names = missing.length > 2 ? `device-${k - failed}..${k - 1}` : missing.map((d) => `device-${d}`).join(', ');
          stalls.push([preset, k, failed, names, deadlineMs, `${ms.requests.stalled}/${ms.requests.issued}`, `${(ms.requests.accuracy * 100).toFixed(0)} %`]);
          results.failures.push({ preset, k, failed, stalled: ms.requests.stalled, issued: ms.requests.issued, accuracy: ms.requests.accuracy });
        }
      }
    }
  }
  console.log(
    `MoDNN through the cluster, teacher-quick (WRN-10-2), every device cortex-m7-480, ${requests} shipped images, timeScale ${timeScale} (averaging and NoNN 1)\n`,
  );
  printTable(
    [
      'preset',
      'K',
      'mode (gathered)',
      'bytes / inference',
      'peer / up / down',
      'airtime ms',
      'bound ms',
      'p50 / p95 / p99 ms',
      'energy mJ / device (mean, max)',
      'accuracy',
      'MoDNN / averaging bytes',
      'wall',
    ],
    main,
  );
  console.log(`\nPer device per inference (${presets[0]}): payload bytes sent / received (all, device-to-device), radio and compute energy\n`);
  printTable(['K', 'device', 'tx B', 'rx B', 'peer tx B', 'peer rx B', 'radio tx mJ', 'radio rx mJ', 'compute mJ'], perDevice);
  console.log(`\nPer layer per inference (${presets[0]}): messages and payload bytes on the medium (tensor payload + envelope)\n`);
  printTable(['K', 'layer', 'messages', 'bytes'], perLayer);
  console.log('\nMoDNN with the last f devices missing (never connected), deadline 2x the bound: a missing band stalls every request\n');
  printTable(['preset', 'K', 'failed f', 'missing', 'deadline ms', 'stalled', 'accuracy'], stalls);
  if (jsonOut) fs.writeFileSync(jsonOut, `${JSON.stringify(results, null, 2)}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
