import { binomial } from '@wearnet/faults';
import type { RequestRecord } from '@wearnet/aggregator';
import type { SweepSegment } from './sweep';

/** One row of a sweep's comparison: accuracy with `failed` devices taken out. */
export interface SweepRow {
  /** Devices crashed or disconnected by the sweep. */
  failed: number;
  /** Failure sets run with this many failed devices, and C(K, f). */
  sets: number;
  totalSets: number;
  /** Requests run at this level. */
  requests: number;
  /** End to end: mean over the sets of the accuracy of their requests, as the cluster fused them. */
  endToEnd: number;
  /** Offline: the same requests (same images, same failure sets), fused in process from the same bundles. */
  offline: number;
  /** `endToEnd - offline`: zero for crash faults on a lossless link; for lossy links, the finding. */
  difference: number;
  /** Requests whose end-to-end prediction differs from the offline one. */
  disagreements: number;
  /** Mean number of vectors the aggregator fused per request (K - failed when nothing else was lost). */
  fusedMean: number;
  /** Offline accuracy over every image of the slice, mean over the same sets (the `wearnet evaluate` view). */
  offlineAllImages?: number;
  /** Accuracy of a distillation run's `evaluation.json` at this level (its own test images). */
  evaluate?: number;
}

/** Inputs of {@link sweepRows}. */
export interface SweepRowsInput {
  /** Number of devices K. */
  devices: number;
  segments: readonly SweepSegment[];
  records: readonly RequestRecord[];
  /** Offline prediction of each request id, with its segment's devices missing. */
  offlinePredictions: ReadonlyMap<number, number | null>;
  /** Offline accuracy over every image, by failure set (failed indices joined with `,`). */
  offlineAllImages?: ReadonlyMap<string, number>;
  /** `wearnet evaluate` accuracy by number of failed devices. */
  evaluate?: ReadonlyMap<number, number>;
}

/**
 * Compares a method's sweep with its offline evaluation level by level: per number of failed
 * devices, the mean over the failure sets run of the end-to-end accuracy of their requests, the
 * offline accuracy of exactly those requests, their difference and the requests whose predictions
 * differ. Requests without an offline prediction (interrupted runs) are left out.
 */
export function sweepRows(input: SweepRowsInput): SweepRow[] {
  const byId = new Map(input.records.map((r) => [r.id, r]));
  const levels = new Map<number, { sets: number; requests: number; e2e: number; off: number; disagreements: number; fused: number; all: number[] }>();
  for (const segment of input.segments) {
    const records = segment.requestIds.map((id) => byId.get(id)).filter((r): r is RequestRecord => r !== undefined && input.offlinePredictions.has(r.id));
    if (records.length === 0) continue;
    const f = segment.failedIndices.length;
    const level = levels.get(f) ?? { sets: 0, requests: 0, e2e: 0, off: 0, disagreements: 0, fused: 0, all: [] };
    let e2e = 0;
    let off = 0;
    for (const r of records) {
      const offline = input.offlinePredictions.get(r.id) as number | null;
      if (r.correct) e2e += 1;
      if (offline === r.label) off += 1;
      if (offline !== r.prediction) level.disagreements += 1;
      level.fused += r.arrived.length;
    }
    level.sets += 1;
    level.requests += records.length;
    level.e2e += e2e / records.length;
    level.off += off / records.length;
    const all = input.offlineAllImages?.get(segment.failedIndices.join(','));
    if (all !== undefined) level.all.push(all);
    levels.set(f, level);
  }
  return [...levels.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([failed, l]) => {
      const row: SweepRow = {
        failed,
        sets: l.sets,
        totalSets: binomial(input.devices, failed),
        requests: l.requests,
        endToEnd: l.e2e / l.sets,
        offline: l.off / l.sets,
        difference: l.e2e / l.sets - l.off / l.sets,
        disagreements: l.disagreements,
        fusedMean: l.fused / l.requests,
      };
      if (l.all.length === l.sets) row.offlineAllImages = l.all.reduce((a, b) => a + b, 0) / l.all.length;
      const evaluated = input.evaluate?.get(failed);
      if (evaluated !== undefined) row.evaluate = evaluated;
      return row;
    });
}

/** The rows as a markdown table (accuracies in %). */
export function formatSweepTable(rows: readonly SweepRow[]): string {
  const pct = (x: number | undefined): string => (x === undefined ? '-' : `${(x * 100).toFixed(2)} %`);
  const pp = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)} pp`;
  const hasEvaluate = rows.some((r) => r.evaluate !== undefined);
  const head = [
    'failed f',
    'sets',
    'requests',
    'vectors fused',
    'end to end',
    'offline, same requests',
    'difference',
    'predictions differing',
    'offline, all images',
    ...(hasEvaluate ? ['wearnet evaluate'] : []),
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const cells = [
      String(r.failed),
      r.sets === r.totalSets ? String(r.sets) : `${r.sets} of ${r.totalSets}`,
      String(r.requests),
      r.fusedMean.toFixed(2),
      pct(r.endToEnd),
      pct(r.offline),
      pp(r.difference),
      String(r.disagreements),
      pct(r.offlineAllImages),
      ...(hasEvaluate ? [pct(r.evaluate)] : []),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
