import type { EndToEndPoint } from './charts/accuracy-vs-failed';
import type { RunResults } from './run-results';

/** The runs of one series: a method, split by set-up when its runs differ in device count or link preset. */
export interface MethodGroup {
  name: string;
  runs: RunResults[];
}

function setup(run: RunResults): string {
  return `${run.summary.devices.length} devices, ${run.summary.run?.linkPreset ?? 'link ?'}`;
}

/**
 * Groups runs into series by method, in order of first appearance. Runs of one method on
 * different set-ups (device count or link preset) are not pooled: each set-up becomes its own
 * series named `<method> · <K> devices, <preset>`. A sweep over failure sets keeps one set-up,
 * so all its runs of a method form one series.
 */
export function groupByMethod(runs: readonly RunResults[]): MethodGroup[] {
  const byMethod = new Map<string, RunResults[]>();
  for (const run of runs) byMethod.set(run.method, [...(byMethod.get(run.method) ?? []), run]);
  const groups: MethodGroup[] = [];
  for (const [method, members] of byMethod) {
    const setups = [...new Set(members.map(setup))];
    if (setups.length === 1) groups.push({ name: method, runs: members });
    else for (const s of setups) groups.push({ name: `${method} · ${s}`, runs: members.filter((r) => setup(r) === s) });
  }
  return groups;
}

/**
 * End-to-end accuracy by failed devices over the records of `runs`, pooled: a request with `a`
 * of the run's K vectors fused counts as `K - a` failed devices. A sweep with the same number of
 * requests per failure set therefore weights every failure set equally, as the offline average does.
 */
export function endToEndAccuracy(runs: readonly RunResults[]): EndToEndPoint[] {
  const byFailed = new Map<number, { requests: number; correct: number }>();
  for (const run of runs) {
    const k = run.summary.devices.length;
    for (const r of run.records) {
      const failed = Math.max(0, k - r.arrived.length);
      const entry = byFailed.get(failed) ?? { requests: 0, correct: 0 };
      entry.requests += 1;
      if (r.correct) entry.correct += 1;
      byFailed.set(failed, entry);
    }
  }
  return [...byFailed.entries()].sort((a, b) => a[0] - b[0]).map(([failed, e]) => ({ failed, accuracy: e.correct / e.requests, requests: e.requests }));
}

/** Median of the finite values, NaN when there are none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Mean payload bytes per request over the records of `runs`, each direction (0 when there are no records). */
export function bytesPerInference(runs: readonly RunResults[]): { downBytes: number; upBytes: number } {
  let n = 0;
  let down = 0;
  let up = 0;
  for (const run of runs) {
    for (const r of run.records) {
      n += 1;
      down += r.bytesDown;
      up += r.bytesUp;
    }
  }
  return n === 0 ? { downBytes: 0, upBytes: 0 } : { downBytes: down / n, upBytes: up / n };
}

/**
 * Mean modelled energy per inference of each device over the runs that report it, nJ, devices in
 * index order; undefined when no run reports energy.
 */
export function energyPerDevice(runs: readonly RunResults[]): { id: string; radioNj: number; computeNj: number }[] | undefined {
  const sums = new Map<string, { index: number; radio: number; compute: number; runs: number }>();
  for (const run of runs) {
    for (const d of run.summary.devices) {
      if (!d.energyNjPerInference) continue;
      const entry = sums.get(d.id) ?? { index: d.deviceIndex, radio: 0, compute: 0, runs: 0 };
      entry.radio += d.energyNjPerInference.radio;
      entry.compute += d.energyNjPerInference.compute;
      entry.runs += 1;
      sums.set(d.id, entry);
    }
  }
  if (sums.size === 0) return undefined;
  return [...sums.entries()]
    .sort((a, b) => a[1].index - b[1].index || (a[0] < b[0] ? -1 : 1))
    .map(([id, e]) => ({ id, radioNj: e.radio / e.runs, computeNj: e.compute / e.runs }));
}
