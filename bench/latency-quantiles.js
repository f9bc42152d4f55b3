'use strict';
// How well Prometheus' histogram_quantile reads the request latency from wearnet_request_latency_seconds:
// p50/p95/p99 read from a live scrape of the aggregator against the exact percentiles of summary.json.
// Usage: npx tsc -b && node bench/latency-quantiles.js [TOPOLOGY] [--requests N]
// Default topologies/body-4.yaml, 396 requests; the run is gated (requests are issued through the
// control API) so that the scrape sees every request the summary counts.
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { startRun } = require('../packages/launcher/dist/index.js');
const { histogramQuantile, LATENCY_HISTOGRAM } = require('../packages/aggregator/dist/index.js');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1];
}

function buckets(text) {
  const out = [];
  for (const m of text.matchAll(new RegExp(`^${LATENCY_HISTOGRAM}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm')))
    if (m[1] !== '+Inf') out.push({ le: Number(m[1]), count: Number(m[2]) });
  return { buckets: out, count: Number(new RegExp(`^${LATENCY_HISTOGRAM}_count (\\S+)$`, 'm').exec(text)[1]) };
}

async function main() {
  const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !(all[i - 1] ?? '').startsWith('--'));
  const topologyFile = path.resolve(positional[0] ?? path.join(__dirname, '..', 'topologies', 'body-4.yaml'));
  const requests = Number(arg('--requests', '396'));
  const out = mkdtempSync(path.join(tmpdir(), 'wearnet-bench-quantiles-'));
  const cliBin = path.join(__dirname, '..', 'packages', 'cli', 'bin', 'wearnet.js');
  // One more request in the workload than issued, so the run stays up for the scrape.
  const run = await startRun({ topologyFile, cliBin, overrides: { gated: true, requests: requests + 1, output: out } });
  try {
    await run.runRequests(requests);
    const { endpoints } = JSON.parse(readFileSync(path.join(out, 'control.json'), 'utf8'));
    const text = await (await fetch(endpoints.aggregatorMetrics)).text();
    run.stop();
    const { summary } = await run.finished;
    const h = buckets(text);
    const rows = [['quantile', 'histogram ms', 'summary ms', 'error %']];
    for (const [q, key] of [
      [0.5, 'p50'],
      [0.95, 'p95'],
      [0.99, 'p99'],
    ]) {
      const fromHistogram = histogramQuantile(q, h.buckets, h.count) * 1000;
      const exact = summary.latencyMs[key];
      rows.push([key, fromHistogram.toFixed(3), exact.toFixed(3), ((100 * (fromHistogram - exact)) / exact).toFixed(2)]);
    }
    process.stdout.write(
      `${path.basename(topologyFile)}: ${h.count} requests in the histogram, ${summary.requests.finalised} in the summary, ${h.buckets.length} buckets, bound ${summary.boundMs.toFixed(3)} ms\n`,
    );
    for (const r of rows) process.stdout.write(`${r.map((c) => String(c).padStart(13)).join('')}\n`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exitCode = 1;
});
