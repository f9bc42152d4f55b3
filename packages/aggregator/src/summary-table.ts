import type { RunSummary } from './summary';

function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

function uj(nj: number): string {
  return fixed(nj / 1000, 2);
}

/** Renders the summary as a plain-text table for a terminal (energy in uJ per issued request). */
export function formatSummaryTable(summary: RunSummary): string {
  const r = summary.requests;
  const l = summary.latencyMs;
  const rows: [string, string][] = [
    ['requests', `${r.finalised} / ${r.issued}${summary.complete ? '' : ' (stopped early)'}`],
    ['accuracy', `${fixed(r.accuracy * 100, 2)} %  (${r.correct} correct)`],
    ['deadline misses', `${r.deadlineMisses}  (${fixed(r.deadlineMissRate * 100, 2)} %)`],
    ['latency p50 / p95 / p99', `${fixed(l.p50)} / ${fixed(l.p95)} / ${fixed(l.p99)} ms (modelled)`],
    ['analytic bound', `${fixed(summary.boundMs)} ms (lossless, idle medium)`],
    [
      'bytes per inference',
      `${fixed(summary.bytesPerInference.total, 0)} B  (down ${fixed(summary.bytesPerInference.down, 0)}, up ${fixed(summary.bytesPerInference.up, 0)})`,
    ],
    ['retries / lost frames', `${fixed(summary.retriesPerInference, 3)} / ${fixed(summary.lostFramesPerInference, 3)} per inference`],
    ['throughput', `${fixed(summary.inferencesPerSecond, 2)} inferences/s (modelled)`],
    [
      'host lag at issue p50 / p95',
      `${fixed(summary.issueLagMs.p50)} / ${fixed(summary.issueLagMs.p95)} ms (modelled; high = host too slow for the time scale)`,
    ],
  ];
  if (summary.hostLateResults > 0)
    rows.push(['host too slow', `${summary.hostLateResults} results in time in the model arrived after the real-time grace (lower timeScale)`]);
  for (const entry of summary.accuracyByArrived)
    rows.push([`accuracy, ${entry.arrived} vectors fused`, `${fixed(entry.accuracy * 100, 2)} %  (${entry.count} requests)`]);
  const hub = summary.hubEnergyNjPerInference;
  if (hub) rows.push(['hub radio energy', `${uj(hub.total)} uJ per inference (tx ${uj(hub.radioTx)}, rx ${uj(hub.radioRx)})`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
  const ids = Object.keys(summary.devices);
  const idWidth = Math.max(10, ...ids.map((id) => id.length));
  const header = `  ${'device'.padEnd(idWidth)} ${'class'.padEnd(16)} ${'arrived'.padStart(7)} ${'p50 ms'.padStart(8)}  ${'radio tx'.padStart(9)} ${'radio rx'.padStart(9)} ${'compute'.padStart(9)} ${'total'.padStart(9)}  missing   (energy in uJ per inference)`;
  const deviceRows = Object.entries(summary.devices).map(([id, d]) => {
    const missing =
      Object.entries(d.missing)
        .map(([reason, n]) => `${reason} ${n}`)
        .join(', ') || '-';
    const e = d.energyNjPerInference;
    return `  ${id.padEnd(idWidth)} ${d.deviceClass.padEnd(16)} ${String(d.arrived).padStart(7)} ${fixed(d.latencyMs.p50).padStart(8)}  ${uj(e.radioTx ?? e.radio).padStart(9)} ${uj(e.radioRx ?? 0).padStart(9)} ${uj(e.compute).padStart(9)} ${uj(e.total).padStart(9)}  ${missing}`;
  });
  return [...lines, '', header, ...deviceRows].join('\n');
}
