#!/usr/bin/env node
// Packs a workspace package as a self-contained, installable tarball (issue 14, item 1):
//   node scripts/pack.js [--out DIR] [PACKAGE...]      (default: cli control-client, into dist-pack/)
// Every @wearnet/* package it needs (its workspace dependency closure) travels inside the tarball
// as a bundled dependency (its package.json, built dist/ and shipped files); the third-party
// dependencies of that closure become the tarball's own dependencies, pinned to the versions of
// package-lock.json, so `npm install --offline ./wearnet-cli-0.1.0.tgz` resolves them from npm's
// cache. The CLI also ships the default topologies and the bundle sets they name (topologies/,
// bundles/), so `npx wearnet run` works outside the repository. Build first (`npx tsc -b`).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const PACKAGES = path.join(ROOT, 'packages');
const SCOPE = '@wearnet/';
/** Bundle sets the CLI ships besides those its topologies name: `wearnet sweep`'s defaults. */
const CLI_EXTRA_BUNDLES = ['deep/nonn-8', 'deep/nonn-8-meanfill', 'nonn-8', 'averaging-8'];

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function manifest(name) {
  return readJson(path.join(PACKAGES, name, 'package.json'));
}

/** Workspace packages `name` needs at run time (dependencies, transitively), `name` excluded. */
function closure(name) {
  const seen = new Set();
  const visit = (n) => {
    for (const dep of Object.keys(manifest(n).dependencies ?? {})) {
      if (!dep.startsWith(SCOPE)) continue;
      const short = dep.slice(SCOPE.length);
      if (seen.has(short)) continue;
      seen.add(short);
      visit(short);
    }
  };
  visit(name);
  seen.delete(name);
  return [...seen].sort();
}

/** The version package-lock.json installed for a third-party package (hoisted at the root). */
function lockedVersion(lock, dep) {
  const entry = lock.packages[`node_modules/${dep}`];
  if (!entry || !entry.version) throw new Error(`pack: ${dep} is not in package-lock.json; run npm install`);
  return entry.version;
}

/** Third-party dependencies (and optional ones) of a set of workspace packages, pinned to the lockfile. */
function thirdParty(names, lock) {
  const deps = {};
  const optional = {};
  for (const n of names) {
    const m = manifest(n);
    for (const dep of Object.keys(m.dependencies ?? {})) if (!dep.startsWith(SCOPE)) deps[dep] = lockedVersion(lock, dep);
    for (const [dep, range] of Object.entries(m.optionalDependencies ?? {})) optional[dep] = range;
  }
  return { deps: sortKeys(deps), optional: sortKeys(optional) };
}

function sortKeys(o) {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/** Copies a package's published files (package.json, README, its `files`) into `dest`. */
function copyPublished(name, dest, transform = (m) => m) {
  const src = path.join(PACKAGES, name);
  const m = manifest(name);
  if (!fs.existsSync(path.join(src, 'dist', 'index.js'))) throw new Error(`pack: ${name} is not built; run npx tsc -b`);
  fs.mkdirSync(dest, { recursive: true });
  for (const entry of [...(m.files ?? ['dist']), 'README.md']) {
    const from = path.join(src, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dest, entry), { recursive: true, filter: (f) => !f.endsWith('.tsbuildinfo') });
  }
  const out = transform({ ...m });
  delete out.private;
  delete out.devDependencies;
  fs.writeFileSync(path.join(dest, 'package.json'), `${JSON.stringify(out, null, 2)}\n`);
}

/** The topologies the CLI ships (with their traces) and every bundle set they (or `wearnet sweep`) name. */
function copyDefaults(dest) {
  const bundles = new Set(CLI_EXTRA_BUNDLES);
  fs.cpSync(path.join(ROOT, 'topologies'), path.join(dest, 'topologies'), { recursive: true });
  for (const file of fs.readdirSync(path.join(ROOT, 'topologies'))) {
    if (!file.endsWith('.yaml')) continue;
    const ref = /^bundles:\s*\.\.\/bundles\/([\w./-]+)\s*$/m.exec(fs.readFileSync(path.join(ROOT, 'topologies', file), 'utf8'));
    if (ref) bundles.add(ref[1]);
  }
  for (const b of bundles) fs.cpSync(path.join(ROOT, 'bundles', b), path.join(dest, 'bundles', b), { recursive: true });
  return [...bundles].sort();
}

/** Stages `name` with its closure bundled under `stage/`, then runs `npm pack` there; returns the tarball path. */
function pack(name, outDir, lock) {
  const stage = path.join(outDir, 'stage', name);
  fs.rmSync(stage, { recursive: true, force: true });
  const bundled = closure(name);
  const { deps, optional } = thirdParty([name, ...bundled], lock);
  copyPublished(name, stage, (m) => ({
    ...m,
    dependencies: { ...Object.fromEntries(bundled.map((b) => [SCOPE + b, manifest(b).version])), ...deps },
    ...(Object.keys(optional).length > 0 ? { optionalDependencies: optional } : {}),
    bundleDependencies: bundled.map((b) => SCOPE + b),
    files: [...(m.files ?? ['dist']), ...(name === 'cli' ? ['topologies', 'bundles'] : [])],
  }));
  for (const b of bundled) copyPublished(b, path.join(stage, 'node_modules', '@wearnet', b));
  const shipped = name === 'cli' ? copyDefaults(stage) : [];
  const out = execFileSync('npm', ['pack', '--pack-destination', outDir, '--json'], { cwd: stage, encoding: 'utf8' });
  const [info] = JSON.parse(out);
  process.stdout.write(
    `${info.filename}: ${(info.size / 1e6).toFixed(1)} MB, ${info.entryCount} files, bundles ${bundled.length} workspace packages` +
      `${shipped.length > 0 ? `, ships topologies/ and bundles/${shipped.join(',')}` : ''}\n`,
  );
  return path.join(outDir, info.filename);
}

function main(argv) {
  let outDir = path.join(ROOT, 'dist-pack');
  const names = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') outDir = path.resolve(argv[++i]);
    else names.push(argv[i]);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const lock = readJson(path.join(ROOT, 'package-lock.json'));
  for (const n of names.length > 0 ? names : ['cli', 'control-client']) pack(n, outDir, lock);
}

if (require.main === module) main(process.argv.slice(2));
module.exports = { closure, pack };
