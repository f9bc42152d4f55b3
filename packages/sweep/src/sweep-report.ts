import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Topology } from '@wearnet/launcher';
import { evaluateOffline } from './offline-evaluation';
import type { SweepResult } from './sweep';
import { formatSweepTable, sweepRows, type SweepRow } from './sweep-table';

/** One method's part of `sweep.json`. */
export interface MethodReport {
  method: string;
  bundles: string;
  runDir: string;
  wallMs: number;
  offlineVectorMs: number;
  rows: SweepRow[];
  /** Requests whose end-to-end prediction differs from the offline one, over the whole sweep. */
  disagreements: number;
  requests: number;
}

/** `sweep.json`: what a sweep measured, end to end beside offline. */
export interface SweepReport {
  format: 'wearnet-sweep';
  version: 1;
  topology: string;
  devices: number;
  fault: string;
  requestsPerSet: number;
  timeScale: number;
  seed: number;
  levels: { failed: number; chosen: number; total: number; sampled: boolean }[];
  images: number;
  wallMs: number;
  totalWallMs: number;
  interrupted: boolean;
  methods: MethodReport[];
}

/** Options of {@link reportSweep}. */
export interface ReportSweepOptions {
  result: SweepResult;
  topology: Topology;
  /** Sweep directory: `sweep.json` and one `offline-<run>.json` per method are written there. */
  outDir: string;
  /** Distillation runs' evaluations (see {@link readEvaluations}), shown beside the method of the same name. */
  evaluations: readonly Evaluation[];
  timeScale: number;
  /** The sweep's seed; default the topology's. */
  seed?: number;
  /** Host ms the sweep started (for `totalWallMs`). */
  startedMs: number;
  /** Called before each method's offline evaluation. */
  onMethod?: (method: string, images: number) => void;
}

/**
 * Evaluates every method of a sweep offline on the same images (in this process: loads
 * TensorFlow.js), builds the comparison rows, and writes `sweep.json` and the offline curves
 * (`offline-<run>.json`, the format `wearnet report --offline` reads).
 */
export async function reportSweep(options: ReportSweepOptions): Promise<SweepReport> {
  const { result, topology, outDir } = options;
  const { evaluations } = options;
  const { initRuntime } = require('@wearnet/runtime') as typeof import('@wearnet/runtime');
  const { loadDatasetSlice } = require('@wearnet/workload') as typeof import('@wearnet/workload');
  await initRuntime({ trainingKernels: false });
  const slice = await loadDatasetSlice(topology.workload.dataset);
  const methods: MethodReport[] = [];
  for (const sweep of result.methods) {
    options.onMethod?.(sweep.method, slice.count);
    const offline = await evaluateOffline(sweep, slice);
    const evaluation = evaluations.find((e) => e.method === sweep.method);
    const rows = sweepRows({
      devices: result.order.devices,
      segments: sweep.segments,
      records: sweep.records,
      offlinePredictions: offline.predictions,
      offlineAllImages: offline.allImages,
      evaluate: evaluation ? new Map(evaluation.rows.map((r) => [r.failed, r.mean])) : undefined,
    });
    methods.push({
      method: sweep.method,
      bundles: sweep.bundles,
      runDir: sweep.runDir,
      wallMs: sweep.wallMs,
      offlineVectorMs: offline.vectorMs,
      rows,
      disagreements: rows.reduce((a, r) => a + r.disagreements, 0),
      requests: rows.reduce((a, r) => a + r.requests, 0),
    });
    // The offline curve in the format `wearnet report --offline` reads.
    writeFileSync(
      path.join(outDir, `offline-${path.basename(sweep.runDir)}.json`),
      `${JSON.stringify({ method: sweep.method, devices: result.order.devices, source: 'wearnet sweep: offline fusion of the same bundles on every image of the slice', rows: rows.map((r) => ({ failed: r.failed, sets: r.sets, mean: r.offlineAllImages ?? r.offline })) }, null, 2)}\n`,
    );
  }
  const report: SweepReport = {
    format: 'wearnet-sweep',
    version: 1,
    topology: topology.file,
    devices: result.order.devices,
    fault: result.fault,
    requestsPerSet: result.requestsPerSet,
    timeScale: options.timeScale,
    seed: options.seed ?? topology.seed,
    levels: result.order.levels,
    images: slice.count,
    wallMs: result.wallMs,
    totalWallMs: Date.now() - options.startedMs,
    interrupted: result.interrupted,
    methods,
  };
  writeFileSync(path.join(outDir, 'sweep.json'), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

/** A distillation run's offline accuracy by number of failed devices. */
export interface Evaluation {
  method: string;
  rows: { failed: number; mean: number }[];
}

/** Reads distillation runs' `evaluation.json` files (`wearnet evaluate`). @throws ReportError when one is not valid. */
export async function readEvaluations(files: readonly string[]): Promise<Evaluation[]> {
  if (files.length === 0) return [];
  const { readOfflineEvaluation } = await import('@wearnet/report');
  const out: Evaluation[] = [];
  for (const file of files) {
    const curve = await readOfflineEvaluation(file);
    out.push({ method: curve.method, rows: curve.points.map((p) => ({ failed: p.failed, mean: p.accuracy })) });
  }
  return out;
}

/** The tables a sweep prints: one per method, then where the results are. */
export function formatSweepReport(report: SweepReport, outDir: string): string {
  const sets = report.levels.reduce((a, l) => a + l.chosen, 0);
  const sampled = report.levels.some((l) => l.sampled);
  const lines = [
    `sweep of ${report.methods.length} method(s) over ${sets} failure sets of ${report.devices} devices (${sampled ? 'a seeded sample' : 'every set'}), ${report.requestsPerSet} requests per set, fault ${report.fault}, time scale ${report.timeScale}; images from a slice of ${report.images}`,
    '',
  ];
  for (const m of report.methods) {
    lines.push(
      `${m.method}  (${m.bundles}; cluster run ${(m.wallMs / 1000).toFixed(1)} s; ${m.disagreements} of ${m.requests} predictions differ from offline)`,
    );
    lines.push(formatSweepTable(m.rows));
    lines.push('');
  }
  lines.push(`cluster runs ${(report.wallMs / 1000).toFixed(1)} s, with offline evaluation ${(report.totalWallMs / 1000).toFixed(1)} s`);
  lines.push(
    `results in ${outDir} (sweep.json, one run directory per method); chart: wearnet report ${outDir}${report.methods.map((m) => ` --offline ${path.join(outDir, `offline-${path.basename(m.runDir)}.json`)}`).join('')}`,
  );
  return lines.join('\n');
}
