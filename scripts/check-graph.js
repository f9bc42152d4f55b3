#!/usr/bin/env node
// Checks the import graph of every package's sources, type-only imports included (which
// ESLint's import-x/no-cycle skips): no cycle between files, no cycle between packages, and
// every `@wearnet/<name>` a package imports is a dependency in its package.json and a
// reference in its tsconfig.json. Prints the cycles found and exits 1, or prints a one-line
// summary and exits 0. Usage: node scripts/check-graph.js
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const ROOT = path.resolve(__dirname, '..');
const PACKAGES = path.join(ROOT, 'packages');

function sourcesOf(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourcesOf(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function resolveRelative(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate;
  return undefined;
}

const packages = fs.readdirSync(PACKAGES).filter((name) => fs.existsSync(path.join(PACKAGES, name, 'src', 'index.ts')));
const files = new Map(); // file -> imported files
const packageEdges = new Map(packages.map((p) => [p, new Set()]));
const problems = [];

for (const pkg of packages) {
  const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGES, pkg, 'package.json'), 'utf8'));
  const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }));
  const tsconfig = ts.readConfigFile(path.join(PACKAGES, pkg, 'tsconfig.json'), ts.sys.readFile).config ?? {};
  const referenced = new Set((tsconfig.references ?? []).map((r) => path.basename(r.path)));
  for (const file of sourcesOf(path.join(PACKAGES, pkg, 'src'))) {
    const targets = new Set();
    for (const { fileName: spec } of ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles) {
      const wearnet = /^@wearnet\/([a-z-]+)(\/.*)?$/.exec(spec);
      if (wearnet) {
        const [, dep, deep] = wearnet;
        const where = path.relative(ROOT, file);
        if (deep) problems.push(`${where}: deep import ${spec}`);
        if (dep === pkg) problems.push(`${where}: imports its own package ${spec}`);
        if (!declared.has(`@wearnet/${dep}`)) problems.push(`${where}: imports @wearnet/${dep}, which packages/${pkg}/package.json does not list`);
        if (!referenced.has(dep)) problems.push(`${where}: imports @wearnet/${dep}, which packages/${pkg}/tsconfig.json does not reference`);
        packageEdges.get(pkg).add(dep);
        targets.add(path.join(PACKAGES, dep, 'src', 'index.ts'));
      } else if (spec.startsWith('.')) {
        const target = resolveRelative(file, spec);
        if (target && !target.startsWith(path.join(PACKAGES, pkg, 'src') + path.sep))
          problems.push(`${path.relative(ROOT, file)}: reaches outside its package with ${spec}`);
        if (target) targets.add(target);
      }
    }
    files.set(file, targets);
  }
}

/** Strongly connected components with more than one node, or a node importing itself (Tarjan). */
function cycles(graph) {
  let index = 0;
  const stack = [];
  const state = new Map();
  const found = [];
  const visit = (v) => {
    state.set(v, { index, low: index, onStack: true });
    index += 1;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!state.has(w)) {
        visit(w);
        state.get(v).low = Math.min(state.get(v).low, state.get(w).low);
      } else if (state.get(w).onStack) state.get(v).low = Math.min(state.get(v).low, state.get(w).index);
    }
    if (state.get(v).low === state.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        state.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? new Set()).has(v)) found.push(component);
    }
  };
  for (const v of graph.keys()) if (!state.has(v)) visit(v);
  return found;
}

for (const component of cycles(files)) problems.push(`file cycle: ${component.map((f) => path.relative(ROOT, f)).join(' <-> ')}`);
for (const component of cycles(packageEdges)) problems.push(`package cycle: ${component.map((p) => `@wearnet/${p}`).join(' <-> ')}`);

if (problems.length > 0) {
  for (const problem of problems) process.stderr.write(`${problem}\n`);
  process.exit(1);
}
const edges = [...packageEdges.values()].reduce((a, s) => a + s.size, 0);
process.stdout.write(`import graph: ${files.size} files, ${packages.length} packages, ${edges} package edges; no cycle, every package import declared\n`);
