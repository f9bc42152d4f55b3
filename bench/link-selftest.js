'use strict';
// The body channel self-test for every link preset: configured against measured (mean frame loss,
// burst and gap lengths by two-sample KS, goodput, idle latency, outages), as `wearnet link selftest
// PRESET --frames N` prints it one preset at a time. Pure model code: no processes, deterministic.
// Usage: node bench/link-selftest.js [--frames 100000] [--seed 1] [--links 8]   Build first: npx tsc -b
const { LINK_PRESET_NAMES, resolveLinkConfig, runSelftest, selftestChecks } = require('../packages/link/dist/index.js');
const { printTable } = require('./emulator-common');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const frames = Number(arg('--frames', '100000'));
const seed = Number(arg('--seed', '1'));
const links = Array.from({ length: Number(arg('--links', '8')) }, (_, i) => `device-${i}`);
const pct = (v) => `${(v * 100).toFixed(3)} %`;
const rows = [];
for (const preset of LINK_PRESET_NAMES) {
  const started = Date.now();
  const report = runSelftest({ link: resolveLinkConfig({ preset }), seed, links, frames });
  const checks = selftestChecks(report);
  const ok = (name) => (checks.find((c) => c.name === name).pass ? '' : ' FAIL');
  rows.push([
    preset,
    pct(report.loss.configured),
    `${pct(report.loss.measured)} (${(report.loss.relativeError * 100).toFixed(1)} % +- ${((196 * report.loss.standardError) / (report.loss.configured || 1)).toFixed(1)} %)${ok('mean frame loss')}`,
    `${report.bursts.ks.toFixed(4)} / ${report.bursts.ksCritical.toFixed(3)} (n ${report.bursts.count})${ok('burst lengths (KS)')}`,
    `${report.gaps.ks.toFixed(4)} / ${report.gaps.ksCritical.toFixed(3)}${ok('gap lengths (KS)')}`,
    `${(report.goodput.analyticBps / 1000).toFixed(2)} / ${(report.goodput.measuredBps / 1000).toFixed(2)} (${(report.goodput.relativeError * 100).toFixed(2)} %)${ok('goodput bit/s')}`,
    `${report.latency.boundMs.toFixed(3)}; ${report.latency.expectedP50Ms.toFixed(3)} / ${report.latency.p50Ms.toFixed(3)}${ok('latency p50 ms')}`,
    `${report.latency.expectedP99Ms.toFixed(2)} / ${report.latency.p99Ms.toFixed(2)}${ok('latency p99 ms')}`,
    `${report.outages.longestMs.toFixed(0)} ms, ${report.outages.over125Ms} > 125 ms`,
    `${Date.now() - started} ms`,
  ]);
}
console.log(`seed ${seed}, ${links.length} links, ${frames} frame attempts per preset (links saturate in turn); a / b = configured / measured`);
printTable(
  [
    'preset',
    'loss configured',
    'loss measured (rel. error +- 95 % sampling)',
    'burst KS / 5 % critical',
    'gap KS / critical',
    'goodput kbit/s',
    'latency bound; p50 ms',
    'p99 ms',
    'outages',
    'cpu',
  ],
  rows,
);
