'use strict';
// Saturated goodput of the body medium process: a hub (this script) queues back-to-back messages
// of whole frames for 4 devices (also this script) through a real `wearnet medium` process, and
// the delivered payload bits over the busy time are compared with the PHY rate less the modelled
// overhead (per-frame header, PHY preamble, IFS, ACK and, with CSMA, the mean backoff).
// Target: within 2 %. Also reports how closely deliveries are paced in real time.
// Usage: node bench/emulator-goodput.js [--seconds S]   Build first: npx tsc -b
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { WebSocket } = require('ws');
const { CLI, ROOT, tempDir, printTable } = require('./emulator-common');
const { resolveLinkConfig, saturatedGoodputBps, attemptTimeMs, hostNowMs } = require('../packages/link/dist/index.js');
const { encodeMessage, decodeHubMessage, decodeTimedFrame } = require('../packages/protocol/dist/index.js');

const seconds = Number((process.argv.includes('--seconds') && process.argv[process.argv.indexOf('--seconds') + 1]) || 1.5);
const TOKEN = 'bench-goodput-token';
const DEVICES = 4;

function startMedium(dir, link, epochMs) {
  const config = path.join(dir, `medium-${link.preset}-${Date.now()}.json`);
  fs.writeFileSync(config, JSON.stringify({ role: 'medium', link, seed: 1, epochMs, timeScale: 1, host: '127.0.0.1', port: 0, token: TOKEN }));
  const child = spawn(process.execPath, [CLI, 'medium', '--config', config, '--exit-with-stdin'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (d) => {
      buffer += d.toString();
      const line = buffer.split('\n').find((l) => l.includes('"ready"'));
      if (line) resolve({ child, port: JSON.parse(line).port });
    });
    child.once('exit', (code) => reject(new Error(`medium exited ${code}`)));
  });
}

function open(url, headers) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Expected saturated goodput of the model, bit/s: whole frames, no loss, mean backoff if any. */
function expectedGoodput(link) {
  const backoff = link.backoff ? ((link.backoff.cwMin - 1) / 2) * link.backoff.slotMs : 0;
  const perFrame = attemptTimeMs(link, link.framePayloadBytes) + backoff;
  return (link.framePayloadBytes * 8 * 1000) / perFrame / (link.lossProbability > 0 ? 1 / (1 - link.lossProbability) : 1);
}

async function measure(dir, link, direction) {
  const epochMs = hostNowMs();
  const { child, port } = await startMedium(dir, link, epochMs);
  const base = `ws://127.0.0.1:${port}`;
  const hub = await open(`${base}/hub`, { authorization: `Bearer ${TOKEN}` });
  const devices = await Promise.all(Array.from({ length: DEVICES }, (_, i) => open(`${base}/device/d${i}`)));
  const messageBytes = link.framePayloadBytes * 20;
  const count = Math.max(DEVICES, Math.ceil((saturatedGoodputBps(link) * seconds) / 8 / messageBytes));
  const t0 = hostNowMs() - epochMs + 50; // modelled ms, shortly in the future so every message is queued by then
  let delivered = 0;
  let deliveredBits = 0;
  let lastEnd = 0;
  let lastAtMs = 0;
  let lastRealMs = 0;
  let outcomes = 0;
  const done = new Promise((resolve) => {
    const onOutcome = (ok, stats, atMs) => {
      outcomes += 1;
      if (ok) {
        delivered += 1;
        deliveredBits += stats.payloadBytes * 8;
      }
      lastEnd = Math.max(lastEnd, stats.endAtMs);
      lastAtMs = Math.max(lastAtMs, atMs);
      lastRealMs = hostNowMs() - epochMs;
      if (outcomes === count) resolve();
    };
    hub.on('message', (data) => {
      const m = decodeHubMessage(new Uint8Array(data));
      if (direction === 'downlink' && m.type === 'downlink-report') onOutcome(m.delivered, m.stats, m.atMs);
      if (direction === 'uplink' && (m.type === 'uplink' || m.type === 'uplink-dropped')) onOutcome(m.type === 'uplink', m.stats, m.atMs);
    });
  });
  const payload = new Uint8Array(messageBytes);
  for (let i = 0; i < count; i += 1) {
    const d = i % DEVICES;
    if (direction === 'downlink') hub.send(encodeMessage({ v: 1, type: 'downlink', deviceId: `d${d}`, seq: i, readyAtMs: t0, payload }));
    else {
      const frame = new Uint8Array(8 + messageBytes);
      new DataView(frame.buffer).setFloat64(0, t0, true);
      devices[d].send(frame);
    }
  }
  await done;
  hub.close();
  devices.forEach((ws) => ws.close());
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  const measured = (deliveredBits * 1000) / (lastEnd - t0);
  return { count, messageBytes, delivered, measured, pacingErrorMs: lastRealMs - lastAtMs };
}

async function main() {
  const dir = tempDir('goodput');
  const cases = [
    ['hbc-164k', {}],
    ['hbc-1m3', {}],
    ['eqs-30m', {}],
    ['walking', { burst: null, lossProbability: 0 }],
    ['hbc-1m3', { lossProbability: 0.05, maxRetries: 7 }],
  ];
  const rows = [];
  for (const [preset, overrides] of cases) {
    const link = resolveLinkConfig({ preset, overrides: { lossProbability: 0, ...overrides } });
    for (const direction of ['downlink', 'uplink']) {
      const r = await measure(dir, link, direction);
      const expected = expectedGoodput(link);
      const label = `${preset}${link.lossProbability ? ` loss ${link.lossProbability}` : ''}${link.backoff ? ' (CSMA)' : ''}`;
      rows.push([
        label,
        direction,
        `${r.count} x ${r.messageBytes} B`,
        (link.phyRateBps / 1000).toFixed(1),
        (expected / 1000).toFixed(1),
        (r.measured / 1000).toFixed(1),
        `${(((r.measured - expected) / expected) * 100).toFixed(2)} %`,
        `${((r.measured / link.phyRateBps) * 100).toFixed(1)} %`,
        `${r.pacingErrorMs.toFixed(1)} ms`,
      ]);
    }
  }
  printTable(
    [
      'link',
      'direction',
      'messages',
      'PHY kbit/s',
      'model goodput kbit/s',
      'measured kbit/s',
      'measured vs model',
      'of PHY rate',
      'real pacing lag of last delivery',
    ],
    rows,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
