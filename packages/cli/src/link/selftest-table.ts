import type { SelftestCheck, SelftestReport } from '@wearnet/link';

const pct = (v: number): string => `${(v * 100).toFixed(3)} %`;

/** The self-test report as text tables: checks, histograms, outages, per-link loss. */
export function formatSelftest(report: SelftestReport, checks: readonly SelftestCheck[]): string {
  const lines: string[] = [];
  lines.push(
    `link selftest: preset ${report.preset}, seed ${report.seed}, ${report.links} links, ${report.attempts} frame attempts over ${(report.durationMs / 1000).toFixed(1)} s modelled`,
  );
  lines.push('');
  lines.push(row(['check', 'configured', 'measured', 'limit', 'result']), rule(5));
  for (const c of checks) {
    const isLoss = c.name === 'mean frame loss';
    lines.push(
      row([c.name, isLoss ? pct(c.configured) : c.configured.toFixed(3), isLoss ? pct(c.measured) : c.measured.toFixed(3), c.limit, c.pass ? 'ok' : 'FAIL']),
    );
  }
  lines.push('');
  for (const [label, runs] of [
    ['loss bursts (attempts)', report.bursts],
    ['gaps (attempts)', report.gaps],
  ] as const) {
    lines.push(`${label}: ${runs.count} measured, ${runs.referenceCount} reference; KS ${runs.ks.toFixed(4)} (5 % critical ${runs.ksCritical.toFixed(4)})`);
    lines.push(row(['length', ...runs.histogram.bins]), rule(runs.histogram.bins.length + 1));
    lines.push(row(['configured', ...runs.histogram.configured.map((f) => f.toFixed(4))]));
    lines.push(row(['measured', ...runs.histogram.measured.map((f) => f.toFixed(4))]));
    lines.push('');
  }
  const o = report.outages;
  lines.push(`outages of a saturating link: longest ${o.longestMs.toFixed(1)} ms, p99 ${o.p99Ms.toFixed(1)} ms, ${o.over125Ms} over 125 ms`);
  lines.push(
    `goodput: lossless ${(report.goodput.losslessBps / 1000).toFixed(2)} kbit/s, analytic ${(report.goodput.analyticBps / 1000).toFixed(2)} kbit/s, measured ${(report.goodput.measuredBps / 1000).toFixed(2)} kbit/s`,
  );
  const l = report.latency;
  lines.push(
    `latency of ${l.probes} idle probes (${l.delivered} delivered): bound ${l.boundMs.toFixed(3)} ms; p50 ${l.p50Ms.toFixed(3)} (analytic ${l.expectedP50Ms.toFixed(3)}); p99 ${l.p99Ms.toFixed(3)} (analytic ${l.expectedP99Ms.toFixed(3)}) ms`,
  );
  lines.push('');
  lines.push(`mean frame loss: 95 % sampling uncertainty +-${pct(report.loss.standardError * 1.96)} (from the spread of the per-link errors)`);
  lines.push(row(['link', 'configured loss', 'measured loss']), rule(3));
  for (const p of report.perLink) lines.push(row([p.linkId, pct(p.configuredLoss), pct(p.measuredLoss)]));
  return `${lines.join('\n')}\n`;
}

function rule(columns: number): string {
  return `|${'---|'.repeat(columns)}`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}
