'use strict';
// Benchmark of @wearnet/partition: graph building + partitioning + report on synthetic
// activations with planted structure (seeded). Build first: npx tsc -b packages/partition
// Usage: node bench/partition.js [--quick]
const { partitionFilters, createRng } = require('../packages/partition/dist/index.js');

/**
 * Images x filters activations with `groups` planted groups of filters: each image switches each
 * group on with probability 0.3 at a random intensity; members respond with their own gain;
 * Gaussian-ish noise (sd ~0.1) is added everywhere, so some values are negative.
 */
function plantedActivations(images, filters, groups, seed, structured = true) {
  const rng = createRng(seed);
  const group = new Int32Array(filters);
  const order = Array.from({ length: filters }, (_, i) => i);
  for (let i = filters - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  order.forEach((f, at) => (group[f] = at % groups));
  const gain = Float64Array.from({ length: filters }, () => 0.5 + rng.float());
  const data = new Float32Array(images * filters);
  const intensity = new Float64Array(groups);
  for (let i = 0; i < images; i++) {
    for (let g = 0; g < groups; g++) intensity[g] = rng.float() < 0.3 ? 0.5 + rng.float() : 0;
    for (let f = 0; f < filters; f++) {
      const noise = (rng.float() + rng.float() + rng.float() - 1.5) * 0.2;
      data[i * filters + f] = (structured ? intensity[group[f]] * gain[f] : rng.float()) + noise;
    }
  }
  return { images, filters, data };
}

const quick = process.argv.includes('--quick');
// 'planted': 16 planted filter groups; 'noise': independent uniform activations (no structure,
// the hardest case for the balanced refinement, which then makes many swaps).
const all = ['balanced', 'nonn', 'nonn-all', 'random', 'blocks'];
const scenarios = quick
  ? [{ filters: 128, images: 1000, parts: 8, data: 'planted', methods: all }]
  : [
      { filters: 256, images: 5000, parts: 8, data: 'planted', methods: all },
      { filters: 256, images: 5000, parts: 8, data: 'noise', methods: ['balanced'] },
      { filters: 1024, images: 5000, parts: 8, data: 'planted', methods: all },
      { filters: 1024, images: 5000, parts: 8, data: 'noise', methods: ['balanced'] },
    ];

const rows = [];
for (const s of scenarios) {
  const activations = plantedActivations(s.images, s.filters, 16, 7, s.data === 'planted');
  for (const method of s.methods) {
    const t0 = process.hrtime.bigint();
    let result;
    let error;
    try {
      result = partitionFilters(activations, { method, parts: s.parts, seed: 1 });
    } catch (err) {
      error = err.code || err.message;
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const r = result && result.report;
    rows.push({
      filters: s.filters,
      images: s.images,
      parts: s.parts,
      data: s.data,
      method,
      ms: ms.toFixed(0),
      used: r ? r.usedFilters : '-',
      Q: r && r.modularity.value !== null ? `${r.modularity.value.toFixed(3)} (${r.modularity.graph})` : error || '-',
      'Q pearson': r && r.coactivationModularity.value !== null ? r.coactivationModularity.value.toFixed(3) : '-',
      'intra r': r && r.meanIntraCorrelation !== null ? r.meanIntraCorrelation.toFixed(3) : '-',
    });
  }
}

const columns = Object.keys(rows[0]);
const width = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
const line = (cells) => cells.map((c, i) => String(c).padStart(width[i])).join('  ');
console.log(
  `node ${process.version}, ${require('os').cpus().length} CPUs (${require('os').cpus()[0].model}); times include graph building, partitioning and report`,
);
console.log(line(columns));
for (const r of rows) console.log(line(columns.map((c) => r[c])));
