#!/usr/bin/env node
// Prints the markdown tables of docs/RESULTS.md from finished distillation runs' manifests, so the
// document's numbers come from the artifacts and not from hand copying.
//   node scripts/results-tables.js artifacts/distil/nonn-8 artifacts/distil/averaging-m4-8 ...
'use strict';
const { readFileSync } = require('node:fs');
const { basename, join } = require('node:path');

const runs = process.argv.slice(2).map((dir) => ({ name: basename(dir), m: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) }));
if (runs.length === 0) {
  process.stderr.write('usage: node scripts/results-tables.js RUN_DIR...\n');
  process.exit(2);
}
const pct = (x) => `${(100 * x).toFixed(2)}%`;
const label = ({ m }) => `${m.method === 'nonn' ? 'NoNN' : 'averaging'} M=${m.parts}${m.spec.failureDropout > 0 ? `, dropout ${m.spec.failureDropout}` : ''}`;
const duration = (s) => `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(Math.round(s % 60)).padStart(2, '0')}`;

const K = runs[0].m.devices;
const lines = [];
lines.push(`| failed f of ${K} | sets | ${runs.map(label).join(' | ')} |`);
lines.push(`|---|---|${runs.map(() => '---|').join('')}`);
for (let f = 0; f <= K; f++) {
  const row = runs.map(({ m }) => m.failures.rows[f]);
  lines.push(`| ${f} | ${row[0].sets} | ${row.map((r) => `${pct(r.mean)} (${pct(r.min)}–${pct(r.max)})`).join(' | ')} |`);
}
lines.push('');
lines.push(
  `| run | f=4 / f=0 | parts (filters) | student MACs each | student params each | head params | epochs | train time | img/s (last epoch) | backend, workers |`,
);
lines.push('|---|---|---|---|---|---|---|---|---|---|');
for (const r of runs) {
  const { m } = r;
  const rows = m.failures.rows;
  const last = m.history[m.history.length - 1];
  const range = (xs, f) => (Math.min(...xs) === Math.max(...xs) ? f(xs[0]) : `${f(Math.min(...xs))}–${f(Math.max(...xs))}`);
  const macs = (x) => `${(x / 1e6).toFixed(2)} M`;
  lines.push(
    `| ${r.name} | ${(rows[Math.floor(K / 2)].mean / rows[0].mean).toFixed(3)} | ${m.parts} (${m.spec.parts.map((p) => p.length).join(', ')}) | ${range(m.studentMacs, macs)} | ${range(m.studentParams, String)} | ${m.headParams} | ${m.epochs} | ${duration(m.trainSeconds)} | ${last.imagesPerSecond.toFixed(1)} | ${m.backend}, ${m.workers} |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
