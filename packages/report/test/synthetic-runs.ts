import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { summarise, type DeviceOutcome, type RequestRecord } from '@wearnet/aggregator';
import type { FaultPeriod } from '../src/index';

/** Options of {@link writeSyntheticRun}. */
export interface SyntheticRunOptions {
  dir: string;
  method: string;
  devices?: number;
  requests?: number;
  seed?: number;
  /** Probability that a device's result is lost, per request. */
  lossProbability?: number;
  /** Periods during which the target device answers nothing. */
  faults?: FaultPeriod[];
  linkPreset?: string;
  /** Leave energy out of the summary (as before energy accounting). */
  withoutEnergy?: boolean;
  /** Leave out `topology.json` and the medium's report (as older run directories). */
  withoutSetup?: boolean;
}

/** Deadline and per-frame overhead the synthetic runs' `topology.json` gives. */
export const SYNTHETIC_DEADLINE_MS = 150;
export const SYNTHETIC_FRAME_OVERHEAD_BYTES = 9;

/** The medium's per-link counters of a synthetic run: one 246-byte-payload frame per 246 bytes, one retry on device 0's uplink per request. */
function syntheticMedium(records: readonly RequestRecord[], deviceIds: readonly string[]): unknown {
  const direction = (payloadBytes: number, messages: number, retries: number): Record<string, number> => {
    const frames = messages * Math.ceil(payloadBytes / messages / 246);
    const dataBytes = payloadBytes + frames * SYNTHETIC_FRAME_OVERHEAD_BYTES + retries * (246 + SYNTHETIC_FRAME_OVERHEAD_BYTES);
    return {
      ...{
        messages,
        delivered: messages,
        dropped: 0,
        payloadBytes,
        deliveredPayloadBytes: payloadBytes,
        frames,
        attempts: frames + retries,
        retries,
        lostFrames: retries,
      },
      ...{ dataBits: dataBytes * 8, ackBits: frames * 9 * 8, airtimeMs: (dataBytes * 8) / 1312.5, queuedMs: 0 },
    };
  };
  const n = records.length;
  return {
    totals: {},
    links: deviceIds.map((deviceId, i) => ({
      deviceId,
      connected: true,
      state: 'up',
      stages: [],
      counters: { downlink: direction(3100 * n, n, 0), uplink: direction(364 * n, n, i === 0 ? n : 0) },
    })),
  };
}

/** Seeded uniform [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Writes a run directory shaped like the emulator's (`requests.jsonl`, `summary.json` made by the
 * aggregator's own `summarise`, plus the launcher's `run` block), from made-up but plausible numbers.
 */
export function writeSyntheticRun(options: SyntheticRunOptions): { records: RequestRecord[]; deviceIds: string[] } {
  const k = options.devices ?? 4;
  const n = options.requests ?? 60;
  const random = rng(options.seed ?? 1);
  const loss = options.lossProbability ?? 0.05;
  const faults = options.faults ?? [];
  const deviceIds = Array.from({ length: k }, (_, i) => `device-${i}`);
  const deadlineMs = SYNTHETIC_DEADLINE_MS;
  const records: RequestRecord[] = [];
  let startMs = 1000;
  for (let id = 0; id < n; id += 1) {
    const devices: Record<string, DeviceOutcome> = {};
    const arrived: string[] = [];
    for (const dev of deviceIds) {
      const down = faults.some((f) => f.target === dev && startMs >= f.startMs && startMs < f.endMs);
      if (down) devices[dev] = { missing: 'no-reply' };
      else if (random() < loss) devices[dev] = { computeMs: 6.5, missing: 'uplink-lost' };
      else {
        devices[dev] = { latencyMs: 95 + 25 * random(), computeMs: 6.5 };
        arrived.push(dev);
      }
    }
    const failed = k - arrived.length;
    const latencyMs = failed === 0 ? Math.max(...arrived.map((d) => devices[d].latencyMs as number)) : deadlineMs;
    const label = Math.floor(random() * 100);
    const correct = random() < 0.72 - 0.12 * failed;
    records.push({
      id,
      sample: id,
      label,
      prediction: correct ? label : (label + 1) % 100,
      correct,
      startMs,
      latencyMs,
      deadlineMissed: failed > 0,
      arrived,
      devices,
      bytesDown: 3100 * k,
      bytesUp: 364 * k,
      retries: random() < 0.1 ? 1 : 0,
      lostFrames: k - arrived.length,
      hostMs: 20 + 10 * random(),
      ...(failed === 0 ? { boundMs: 110 } : {}),
    });
    startMs += latencyMs + 5;
  }
  const summary = summarise(records, {
    issued: n,
    complete: true,
    wallMs: startMs,
    devices: deviceIds.map((deviceId, deviceIndex) => ({ deviceId, deviceIndex, deviceClass: 'cortex-m7-480' })),
    energyNj: Object.fromEntries(deviceIds.map((d, i) => [d, { radioTx: n * (200000 + 10000 * i), radioRx: n * 50000, compute: n * 640000 }])),
    bounds: records.filter((r) => r.arrived.length === k).map(() => 110),
    hostLateResults: 0,
    issueLags: records.map(() => 0),
  });
  const written: Record<string, unknown> = {
    ...summary,
    run: {
      id: path.basename(options.dir),
      name: 'synthetic',
      linkPreset: options.linkPreset ?? 'hbc-1m3',
      method: options.method,
      devices: deviceIds.map((id, index) => ({ id, index, deviceClass: 'cortex-m7-480' })),
    },
    faults,
    ...(options.withoutSetup ? {} : { medium: syntheticMedium(records, deviceIds) }),
  };
  if (options.withoutEnergy) {
    for (const d of Object.values(written.devices as Record<string, Record<string, unknown>>)) delete d.energyNjPerInference;
  }
  mkdirSync(path.join(options.dir, 'logs'), { recursive: true });
  writeFileSync(path.join(options.dir, 'requests.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  writeFileSync(path.join(options.dir, 'summary.json'), `${JSON.stringify(written, null, 2)}\n`);
  writeFileSync(path.join(options.dir, 'logs', 'aggregator.log'), 'extra files are ignored\n');
  if (!options.withoutSetup) {
    const topology = { name: 'synthetic', workload: { deadlineMs }, link: { preset: 'hbc-1m3', frameOverheadBytes: SYNTHETIC_FRAME_OVERHEAD_BYTES } };
    writeFileSync(path.join(options.dir, 'topology.json'), `${JSON.stringify(topology, null, 2)}\n`);
  }
  return { records, deviceIds };
}

/** An offline `evaluation.json` as `wearnet evaluate` writes it (with `withExpected`, its `expected` and `fills` sections for p = 0.99, 0.9, 0.8). */
export function writeSyntheticEvaluation(file: string, method: string, devices: number, withExpected = false): void {
  const rows = Array.from({ length: devices + 1 }, (_, failed) => ({ failed, sets: 1, mean: Math.max(0, 0.74 - 0.11 * failed), min: 0, max: 1 }));
  const table = { devices, images: 1000, rows, perSet: {}, vectorSeconds: 1, fuseSeconds: 1 };
  const expected = (drop: number): Record<string, number> => ({ '0.99': 0.73 - drop, '0.9': 0.69 - drop, '0.8': 0.64 - drop });
  const extra = withExpected
    ? {
        fill: 'zero',
        expected: expected(0),
        fills: [
          { ...table, fill: 'zero', expected: expected(0) },
          { ...table, fill: 'mean', expected: expected(-0.01) },
        ],
      }
    : {};
  writeFileSync(file, `${JSON.stringify({ run: '/tmp/distil', method, parts: 2, ...table, ...extra }, null, 2)}\n`);
}
