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
  const deadlineMs = 150;
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
  };
  if (options.withoutEnergy) {
    for (const d of Object.values(written.devices as Record<string, Record<string, unknown>>)) delete d.energyNjPerInference;
  }
  mkdirSync(path.join(options.dir, 'logs'), { recursive: true });
  writeFileSync(path.join(options.dir, 'requests.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  writeFileSync(path.join(options.dir, 'summary.json'), `${JSON.stringify(written, null, 2)}\n`);
  writeFileSync(path.join(options.dir, 'logs', 'aggregator.log'), 'extra files are ignored\n');
  return { records, deviceIds };
}

/** An offline `evaluation.json` as `wearnet evaluate` writes it. */
export function writeSyntheticEvaluation(file: string, method: string, devices: number): void {
  const rows = Array.from({ length: devices + 1 }, (_, failed) => ({ failed, sets: 1, mean: Math.max(0, 0.74 - 0.11 * failed), min: 0, max: 1 }));
  writeFileSync(
    file,
    `${JSON.stringify({ run: '/tmp/distil', method, parts: 2, devices, images: 1000, rows, perSet: {}, vectorSeconds: 1, fuseSeconds: 1 }, null, 2)}\n`,
  );
}
