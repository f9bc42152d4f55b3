#!/usr/bin/env node
'use strict';
// Renders the learning curves (test accuracy after each epoch, from each run's manifest.json
// history) of distillation runs as one SVG line chart, e.g. the student pilots of docs/RESULTS.md:
//
//   node scripts/learning-curves.js --out docs/charts/pilot-curves.svg artifacts/pilots/*/
//
// Each run is labelled by its directory name and its student's MACs; runs still in progress
// (a checkpoint/state.json but no manifest.json yet) are skipped with a note on stderr.
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { basename, join } = require('node:path');

function usage(message) {
  process.stderr.write(`learning-curves: ${message}\nusage: node scripts/learning-curves.js --out FILE.svg [--title TEXT] RUN_DIR...\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const runs = [];
  let out;
  let title = 'student test accuracy after each epoch';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = argv[++i];
    else if (argv[i] === '--title') title = argv[++i];
    else if (argv[i].startsWith('--')) usage(`unknown flag ${argv[i]}`);
    else runs.push(argv[i]);
  }
  if (out === undefined) usage('--out is required');
  if (runs.length === 0) usage('give at least one run directory');
  return { out, title, runs };
}

function curvePoints(dir) {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) {
    process.stderr.write(`learning-curves: ${dir}: no manifest.json yet, skipped\n`);
    return [];
  }
  const m = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(m.history)) usage(`${file} has no history`);
  const macs = Array.isArray(m.studentMacs) ? Math.max(...m.studentMacs) : undefined;
  const label = `${basename(dir.replace(/\/+$/, ''))}${macs !== undefined ? ` (${(macs / 1e6).toFixed(1)} M MACs)` : ''}`;
  return m.history.filter((h) => typeof h.testAccuracy === 'number').map((h) => ({ run: label, epoch: h.epoch, accuracy: h.testAccuracy }));
}

(async () => {
  const { out, title, runs } = parseArgs(process.argv.slice(2));
  const values = runs.flatMap(curvePoints);
  if (values.length === 0) usage('no run with a finished epoch');
  const { renderSvg, CHART_CONFIG } = require('../packages/report/dist/index.js');
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 520,
    height: 300,
    config: CHART_CONFIG,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'accuracy', type: 'quantitative', title: 'test accuracy (f = 0)', axis: { format: '.0%' } },
      color: { field: 'run', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 1 } },
    },
  };
  writeFileSync(out, await renderSvg(spec, { name: basename(out) }));
  process.stdout.write(`${out}: ${values.length} points from ${new Set(values.map((v) => v.run)).size} runs\n`);
})().catch((err) => {
  process.stderr.write(`learning-curves: ${err.stack ?? err}\n`);
  process.exit(1);
});
