'use strict';
// Renders the MoDNN comparison as SVG from what bench/modnn-cluster.js measured (--json) and, for
// the accuracy panel's distilled curves, a `wearnet sweep` result (sweep.json). Build first: npx tsc -b.
// Usage: node bench/modnn-chart.js MODNN_JSON SWEEP_JSON OUT_DIR
//   writes OUT_DIR/modnn-comparison.svg (bytes, latency, energy per device, accuracy vs failed devices)
//   and OUT_DIR/modnn-traffic.svg (bytes per inference alone, for the README).
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./emulator-common');
const { renderSvg } = require(path.join(ROOT, 'packages', 'report'));

const [modnnFile, sweepFile, outDir] = process.argv.slice(2);
if (!modnnFile || !sweepFile || !outDir) {
  console.error('usage: node bench/modnn-chart.js MODNN_JSON SWEEP_JSON OUT_DIR');
  process.exit(2);
}
const measured = JSON.parse(fs.readFileSync(modnnFile, 'utf8'));
const sweep = JSON.parse(fs.readFileSync(sweepFile, 'utf8'));
const NAMES = { MoDNN: 'MoDNN', averaging: 'averaging', nonn: 'NoNN' };
const COLORS = { domain: ['MoDNN', 'averaging', 'NoNN'], range: ['#e45756', '#4c78a8', '#54a24b'] };

const bars = measured.modes.map((m) => ({
  scenario: `${m.preset}, K = ${m.k}`,
  mode: NAMES[m.mode],
  bytes: m.bytes,
  p50: m.latencyMs.p50,
  bound: m.boundMs,
  energyMj: m.energyMeanNj / 1e6,
}));
const scenarios = [...new Set(bars.map((b) => b.scenario))];
/** Decades around the values of `field`, so a log axis has a baseline and labelled ticks. */
const decades = (field) => {
  const values = bars.flatMap((b) => [b[field], field === 'p50' ? b.bound : b[field]]).filter((v) => v > 0);
  return [10 ** Math.floor(Math.log10(Math.min(...values))), 10 ** Math.ceil(Math.log10(Math.max(...values)))];
};
const bar = (field, title) => ({
  width: 260,
  height: { step: 12 },
  data: { values: bars },
  mark: { type: 'bar' },
  encoding: {
    y: { field: 'scenario', type: 'nominal', sort: scenarios, title: null },
    yOffset: { field: 'mode', sort: COLORS.domain },
    x: { field, type: 'quantitative', scale: { type: 'log', domain: decades(field) }, title },
    x2: { datum: decades(field)[0] },
    color: { field: 'mode', type: 'nominal', title: 'mode', scale: COLORS },
    tooltip: [{ field: 'mode' }, { field: field, format: ',.1f' }],
  },
});

const accuracy = [];
for (const f of measured.failures.filter((x) => x.preset === 'hbc-1m3' && x.k === 8))
  accuracy.push({ mode: 'MoDNN', failed: f.failed, accuracy: f.accuracy * 100 });
for (const m of sweep.methods) for (const r of m.rows) accuracy.push({ mode: NAMES[m.method], failed: r.failed, accuracy: r.endToEnd * 100 });

const spec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: `MoDNN vs the distilled modes through the cluster (cortex-m7-480 devices; bytes, latency, energy: ${measured.requests} requests each)`,
  config: { font: 'sans-serif', view: { stroke: null } },
  hconcat: [
    { ...bar('bytes', 'payload bytes on the medium per inference (log)'), title: 'traffic' },
    {
      title: 'latency p50 (bars) and analytic bound (ticks)',
      width: 260,
      height: { step: 12 },
      data: { values: bars },
      layer: [
        bar('p50', 'modelled ms (log)'),
        {
          mark: { type: 'tick', color: 'black', thickness: 2 },
          encoding: { y: { field: 'scenario', sort: scenarios }, yOffset: { field: 'mode', sort: COLORS.domain }, x: { field: 'bound', type: 'quantitative' } },
        },
      ].map(({ width: _w, height: _h, data: _d, ...layer }) => layer),
    },
    { ...bar('energyMj', 'mJ per device per inference (log, mean)'), title: 'energy' },
    {
      title: 'accuracy vs failed devices, hbc-1m3, K = 8',
      width: 220,
      height: 200,
      data: { values: accuracy },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'failed', type: 'quantitative', title: 'failed devices f', scale: { domain: [0, 8] } },
        y: { field: 'accuracy', type: 'quantitative', title: 'end-to-end accuracy (%)' },
        color: { field: 'mode', type: 'nominal', scale: COLORS },
      },
    },
  ],
};

const traffic = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: 'Payload bytes on the body per inference, measured through the cluster (log scale)',
  config: { font: 'sans-serif', view: { stroke: null } },
  ...bar('bytes', 'bytes per inference (log)'),
};

(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'modnn-comparison.svg'), await renderSvg(spec, { name: 'modnn-comparison' }));
  fs.writeFileSync(path.join(outDir, 'modnn-traffic.svg'), await renderSvg(traffic, { name: 'modnn-traffic' }));
  console.log(`wrote ${path.join(outDir, 'modnn-comparison.svg')} and ${path.join(outDir, 'modnn-traffic.svg')}`);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
