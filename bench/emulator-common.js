'use strict';
// Shared helpers of the emulator benchmarks: write a topology, run `wearnet run` on it as the
// user would (separate OS processes), read what it wrote. Build first: npx tsc -b
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'packages', 'cli', 'bin', 'wearnet.js');

/** A fresh temporary directory for one benchmark. */
function tempDir(name) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `wearnet-bench-${name}-`));
}

/** Writes a topology object as YAML-compatible JSON (JSON is valid YAML) and returns its path. */
function writeTopology(dir, topology) {
  const file = path.join(dir, `${topology.name}.yaml`);
  fs.writeFileSync(file, JSON.stringify(topology, null, 2));
  return file;
}

/** Runs `wearnet run FILE --out DIR --quiet --json` and returns { summary, records, wallMs }. */
function runTopology(file, outDir, extraArgs = []) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [CLI, 'run', file, '--out', outDir, '--quiet', '--json', ...extraArgs], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const wallMs = Date.now() - started;
  if (!fs.existsSync(path.join(outDir, 'summary.json'))) {
    throw new Error(`run of ${file} failed (exit ${result.status}):\n${result.stderr}`);
  }
  const summary = JSON.parse(fs.readFileSync(path.join(outDir, 'summary.json'), 'utf8'));
  const records = fs
    .readFileSync(path.join(outDir, 'requests.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return { summary, records, wallMs, exitCode: result.status, stderr: result.stderr };
}

/** Creates a random bundle set with the CLI. */
function randomBundles(dir, args) {
  const result = spawnSync(process.execPath, [CLI, 'bundles', 'random', '--out', dir, ...args], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return dir;
}

/** Prints rows (arrays) as an aligned table under a header. */
function printTable(header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(all[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of all.slice(1)) console.log(line(r));
}

module.exports = { ROOT, CLI, tempDir, writeTopology, runTopology, randomBundles, printTable };
