'use strict';
// MoDNN traffic, airtime, latency bound and energy per inference from the plan and the link model,
// against the distilled modes' per-inference vectors (bundles/averaging-8, bundles/nonn-8).
// Pure accounting: no processes, no TensorFlow.js. Every airtime comes from @wearnet/link
// (idleTransfer, roundBound, BodyTimeline for retries and bits, radioEnergyNj), compute from
// @wearnet/hardware. MoDNN's graph is the teacher's (artifacts/teacher-quick/manifest.json).
// --header-bytes N adds an envelope of N bytes to every message of every mode (default 0: payload only).
// Usage: node bench/modnn-traffic.js [--device-class cortex-m7-480] [--inferences 200] [--header-bytes 0]   Build first: npx tsc -b
const fs = require('node:fs');
const path = require('node:path');
const { wrnGraph, planModnn, planTraffic, framedTraffic, modnnLatencyBound, simulateInference } = require('@wearnet/modnn');
const { resolveLinkConfig, idleTransfer, roundBound, BodyTimeline, radioEnergyNj } = require('@wearnet/link');
const { resolveDeviceClass, computeTimeMs, computeEnergyNj } = require('@wearnet/hardware');
const { printTable } = require('./emulator-common');

const ROOT = path.resolve(__dirname, '..');
const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const className = arg('--device-class', 'cortex-m7-480');
const inferences = Number(arg('--inferences', '200'));
const HEADER = Number(arg('--header-bytes', '0'));
const REQUEST_BYTES = 8;
const cls = resolveDeviceClass({ name: className });
const teacher = JSON.parse(fs.readFileSync(path.join(ROOT, 'artifacts', 'teacher-quick', 'manifest.json'), 'utf8'));
const graph = wrnGraph({ depth: teacher.model.depth, widthFactor: teacher.model.widthFactor, classes: teacher.model.classes });

function distilledSet(name, k) {
  const dir = path.join(ROOT, 'bundles', name);
  const devices = [];
  for (let i = 0; i < k; i += 1) devices.push(JSON.parse(fs.readFileSync(path.join(dir, `device-${i}`, 'manifest.json'), 'utf8')));
  return devices;
}

/** One round of a distilled mode: a request down to every device, its float32 vector up. */
function distilled(link, devices) {
  const up = devices.map((d) => d.output.length * 4 + HEADER);
  const down = devices.map(() => REQUEST_BYTES + HEADER);
  const bound = roundBound({ link, downlinkBytes: down, computeMs: devices.map((d) => computeTimeMs(cls, d.macs)), uplinkBytes: up });
  const timeline = new BodyTimeline({ link: { ...link, lossProbability: 0 }, seed: 1 });
  const energyNj = devices.map((d, i) => {
    timeline.addLink(`device-${i}`);
    const r = timeline.transmit({ linkId: `device-${i}`, direction: 'downlink', payloadBytes: down[i], readyAtMs: 0 }).stats;
    const u = timeline.transmit({ linkId: `device-${i}`, direction: 'uplink', payloadBytes: up[i], readyAtMs: 0 }).stats;
    return radioEnergyNj(link, { txBits: u.dataBits + r.ackBits, rxBits: r.dataBits + u.ackBits }) + computeEnergyNj(cls, d.macs);
  });
  const airtimeMs = [...up, ...down].reduce((n, b) => n + idleTransfer(link, b).occupancyMs, 0);
  const frames = [...up, ...down].reduce((n, b) => n + idleTransfer(link, b).frames, 0);
  return {
    upBytes: up.reduce((a, b) => a + b, 0),
    bytes: up.reduce((a, b) => a + b, 0) + down.reduce((a, b) => a + b, 0),
    frames,
    airtimeMs,
    boundMs: bound.roundMs,
    energyMj: energyNj.reduce((a, b) => a + b, 0) / devices.length / 1e6,
  };
}

function modnn(link, k, routing) {
  const plan = planModnn({ graph, speeds: new Array(k).fill(cls.macsPerSecond), requestBytes: REQUEST_BYTES });
  const traffic = planTraffic(plan, HEADER);
  const framed = framedTraffic(link, plan.messages, { routing, headerBytes: HEADER });
  const bound = modnnLatencyBound({ plan, link, deviceClasses: new Array(k).fill(cls), routing, headerBytes: HEADER });
  let latency = 0;
  let done = 0;
  let retries = 0;
  for (let seed = 1; seed <= inferences; seed += 1) {
    const sim = simulateInference({ plan, link, deviceClasses: new Array(k).fill(cls), routing, seed, headerBytes: HEADER });
    retries += sim.retries;
    if (sim.completed) {
      latency += sim.latencyMs;
      done += 1;
    }
  }
  const energy = bound.devices.map((d) => (d.radioTxNj + d.radioRxNj + d.computeNj) / 1e6);
  return {
    plan,
    traffic,
    framed,
    bound,
    meanLatencyMs: latency / Math.max(1, done),
    stalledPct: (100 * (inferences - done)) / inferences,
    retries: retries / inferences,
    energyMj: energy.reduce((a, b) => a + b, 0) / k,
    maxEnergyMj: Math.max(...energy),
    hubMj: bound.hubRadioNj / 1e6,
  };
}

const f1 = (x) => x.toFixed(1);
console.log(
  `teacher WRN-${teacher.model.depth}-${teacher.model.widthFactor} (${(teacher.macs / 1e6).toFixed(2)} M MACs), devices ${className}, float32 on the wire, request ${REQUEST_BYTES} B, envelope ${HEADER} B per message, local inputs, ${inferences} seeded inferences at the preset loss\n`,
);
const rows = [];
const layerRows = [];
let deviceRows = [];
let matrixRows = [];
let matrixHeader = [];
for (const preset of ['hbc-1m3', 'hbc-164k']) {
  const link = resolveLinkConfig({ preset });
  for (const k of [4, 8]) {
    const m = modnn(link, k, 'direct');
    const relay = modnn(link, k, 'hub-relay');
    const avg = distilled(link, distilledSet('averaging-8', k));
    const nonn = distilled(link, distilledSet('nonn-8', k));
    rows.push([
      preset,
      k,
      'MoDNN direct',
      m.traffic.payloadBytes,
      m.traffic.messages,
      m.framed.frames,
      f1(m.framed.airtimeMs),
      f1(m.bound.latencyMs),
      `${f1(m.meanLatencyMs)} (${m.retries.toFixed(2)} retries, ${m.stalledPct.toFixed(1)} % stalled)`,
      `${m.energyMj.toFixed(2)} / ${m.maxEnergyMj.toFixed(2)}`,
      `${(m.traffic.payloadBytes / avg.bytes).toFixed(0)}x bytes (${(m.traffic.payloadBytes / avg.upBytes).toFixed(0)}x uplink vectors), ${(m.framed.airtimeMs / avg.airtimeMs).toFixed(0)}x airtime`,
    ]);
    rows.push([
      preset,
      k,
      'MoDNN hub-relay',
      relay.traffic.payloadBytes + relay.traffic.byDirection.deviceToDevice.payloadBytes,
      relay.traffic.messages + relay.traffic.byDirection.deviceToDevice.messages,
      relay.framed.frames,
      f1(relay.framed.airtimeMs),
      f1(relay.bound.latencyMs),
      `${f1(relay.meanLatencyMs)} (${relay.retries.toFixed(2)} retries, ${relay.stalledPct.toFixed(1)} % stalled)`,
      `${relay.energyMj.toFixed(2)} / ${relay.maxEnergyMj.toFixed(2)}`,
      `${((relay.traffic.payloadBytes + relay.traffic.byDirection.deviceToDevice.payloadBytes) / avg.bytes).toFixed(0)}x bytes, ${(relay.framed.airtimeMs / avg.airtimeMs).toFixed(0)}x airtime`,
    ]);
    for (const [name, d] of [
      ['averaging', avg],
      ['NoNN', nonn],
    ])
      rows.push([preset, k, `${name} (${d.upBytes} B up)`, d.bytes, 2 * k, d.frames, f1(d.airtimeMs), f1(d.boundMs), '-', d.energyMj.toFixed(3), '1x']);
    if (preset === 'hbc-1m3' && k === 8) {
      for (const l of m.traffic.byLayer)
        layerRows.push([
          l.kind,
          l.tensor,
          l.readers.join(', ') || 'hub (gather)',
          l.messages,
          l.payloadBytes,
          f1(
            framedTraffic(
              link,
              m.plan.messages.filter((x) => x.kind === l.kind && x.tensor === l.tensor),
              { headerBytes: HEADER },
            ).airtimeMs,
          ),
        ]);
      matrixHeader = ['kind', 'tensor', ...m.traffic.byEndpoint.map((e) => (e.endpoint < 0 ? 'hub' : `device-${e.endpoint}`))];
      matrixRows = m.traffic.byLayer.map((l) => [l.kind, l.tensor, ...l.perEndpoint.map((e) => `${e.sentBytes} / ${e.receivedBytes}`)]);
      deviceRows = m.traffic.byEndpoint.map((e) => {
        const d = m.bound.devices[e.endpoint];
        return [
          e.endpoint < 0 ? 'hub' : `device-${e.endpoint}`,
          e.sent.payloadBytes,
          e.received.payloadBytes,
          d ? (d.macs / 1e6).toFixed(2) : '-',
          d ? f1(d.computeMs) : '-',
          d ? ((d.radioTxNj + d.radioRxNj) / 1e6).toFixed(2) : m.hubMj.toFixed(2),
          d ? (d.computeNj / 1e6).toFixed(2) : '-',
        ];
      });
    }
  }
}
printTable(
  [
    'preset',
    'K',
    'mode',
    'bytes/inference',
    'messages',
    'frames',
    'airtime ms',
    'latency bound ms',
    'mean latency ms at preset loss',
    'energy mJ/device (mean / max)',
    'vs averaging',
  ],
  rows,
);
console.log("\nMoDNN per layer, hbc-1m3, K = 8 (direct): the messages carrying one node's output");
printTable(['kind', 'tensor', 'read by', 'messages', 'payload bytes', 'airtime ms'], layerRows);
console.log('\nMoDNN per layer and endpoint, K = 8: bytes sent / received');
printTable(matrixHeader, matrixRows);
console.log('\nMoDNN per endpoint, hbc-1m3, K = 8 (direct)');
printTable(['endpoint', 'sent B', 'received B', 'M MACs', 'compute ms', 'radio mJ', 'compute mJ'], deviceRows);

// Variants: float16 on the wire, and what the biased partition buys when compute matters (eqs-30m, mixed classes).
const variants = [];
{
  const link = resolveLinkConfig({ preset: 'hbc-1m3' });
  const plan = planModnn({ graph, speeds: new Array(8).fill(cls.macsPerSecond), requestBytes: REQUEST_BYTES, bytesPerElement: 2 });
  const b = modnnLatencyBound({ plan, link, deviceClasses: new Array(8).fill(cls), headerBytes: HEADER });
  variants.push([
    'hbc-1m3, K = 8, float16 on the wire',
    'equal',
    planTraffic(plan, HEADER).payloadBytes,
    f1(b.latencyMs),
    f1(Math.max(...b.devices.map((d) => d.computeMs))),
  ]);
}
for (const preset of ['eqs-30m', 'hbc-1m3']) {
  const link = resolveLinkConfig({ preset });
  const names = ['cortex-a53-1200', 'cortex-m7-480', 'cortex-m7-480', 'cortex-m4-80'];
  const classes = names.map((name) => resolveDeviceClass({ name }));
  for (const [label, speeds] of [
    ['biased by macsPerSecond', classes.map((c) => c.macsPerSecond)],
    ['equal rows', [1, 1, 1, 1]],
  ]) {
    const plan = planModnn({ graph, speeds, requestBytes: REQUEST_BYTES });
    const b = modnnLatencyBound({ plan, link, deviceClasses: classes, headerBytes: HEADER });
    variants.push([
      `${preset}, K = 4, A53 / M7 / M7 / M4`,
      label,
      planTraffic(plan, HEADER).payloadBytes,
      f1(b.latencyMs),
      f1(Math.max(...b.devices.map((d) => d.computeMs))),
    ]);
  }
}
console.log('\nMoDNN variants (direct)');
printTable(['setting', 'partition', 'bytes/inference', 'latency bound ms', 'slowest device compute ms'], variants);
