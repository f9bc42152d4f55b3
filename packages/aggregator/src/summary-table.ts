import type { RunSummary } from './summary';

function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

/** Renders the summary as a plain-text table for a terminal. */
export function formatSummaryTable(summary: RunSummary): string {
  const r = summary.requests;
  const l = summary.latencyMs;
  const rows: [string, string][] = [
    ['requests', `${r.finalised} / ${r.issued}${summary.complete ? '' : ' (stopped early)'}`],
    ['accuracy', `${fixed(r.accuracy * 100, 2)} %  (${r.correct} correct)`],
    ['deadline misses', `${r.deadlineMisses}  (${fixed(r.deadlineMissRate * 100, 2)} %)`],
    ['latency p50 / p95 / p99', `${fixed(l.p50)} / ${fixed(l.p95)} / ${fixed(l.p99)} ms (modelled)`],
    ['analytic bound', `${fixed(summary.boundMs)} ms (lossless, idle medium)`],
    ['bytes per inference', `${fixed(summary.bytesPerInference.total, 0)} B  (down ${fixed(summary.bytesPerInference.down, 0)}, up ${fixed(summary.bytesPerInference.up, 0)})`],
    ['retries / lost frames', `${fixed(summary.retriesPerInference, 3)} / ${fixed(summary.lostFramesPerInference, 3)} per inference`],
    ['throughput', `${fixed(summary.inferencesPerSecond, 2)} inferences/s (modelled)`],
    ['host lag at issue p50 / p95', `${fixed(summary.issueLagMs.p50)} / ${fixed(summary.issueLagMs.p95)} ms (modelled; high = host too slow for the time scale)`],
  ];
  if (summary.hostLateResults > 0) rows.push(['host too slow', `${summary.hostLateResults} results in time in the model arrived after the real-time grace (lower timeScale)`]);
  for (const entry of summary.accuracyByArrived) rows.push([`accuracy, ${entry.arrived} vectors fused`, `${fixed(entry.accuracy * 100, 2)} %  (${entry.count} requests)`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
  const deviceRows = Object.entries(summary.devices).map(([id, d]) => {
    const missing = Object.entries(d.missing).map(([reason, n]) => `${reason} ${n}`).join(', ') || '-';
    return `  ${id.padEnd(10)} ${d.deviceClass.padEnd(16)} arrived ${String(d.arrived).padStart(6)}  p50 ${fixed(d.latencyMs.p50).padStart(7)} ms  energy ${fixed(d.energyNjPerInference.total / 1000, 1).padStart(8)} uJ/inf  missing: ${missing}`;
  });
  return [...lines, '', ...deviceRows].join('\n');
}
