/**
 * The image (issue 14, item 2), checked without a Docker engine: the Dockerfile is parsed and its
 * stages, layer order, user, healthcheck and backend check are asserted. `docker build` itself
 * does not run on these machines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Dockerfile instructions (continuation lines joined, comments dropped), grouped by stage. */
function parseDockerfile(text: string): { args: Instruction[]; stages: Stage[] } {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(current + line);
    current = '';
  }
  const args: Instruction[] = [];
  const stages: Stage[] = [];
  for (const line of logical) {
    const [keyword, ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
    if (instruction.keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args)!;
      stages.push({ from: m[1]!, name: m[2], instructions: [] });
    } else if (stages.length === 0) args.push(instruction);
    else stages[stages.length - 1]!.instructions.push(instruction);
  }
  return { args, stages };
}

describe('the Dockerfile', () => {
  const { args, stages } = parseDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
  const [deps, build, final] = stages as [Stage, Stage, Stage];
  const index = (stage: Stage, keyword: string, match: RegExp = /./): number =>
    stage.instructions.findIndex((i) => i.keyword === keyword && match.test(i.args));

  it('has three stages: dependencies, build, and a final stage from the same slim node image', () => {
    expect(stages.map((s) => s.name)).toEqual(['deps', 'build', undefined]);
    expect(args).toContainEqual({ keyword: 'ARG', args: 'NODE_IMAGE=node:20-bookworm-slim' });
    expect(deps.from).toBe('${NODE_IMAGE}');
    expect(build.from).toBe('deps');
    expect(final.from).toBe('${NODE_IMAGE}');
  });

  it('installs from the lockfile after copying every workspace package.json and before any source', () => {
    const ci = index(deps, 'RUN', /npm ci\b/);
    expect(ci).toBeGreaterThan(0);
    const copied = deps.instructions.slice(0, ci).filter((i) => i.keyword === 'COPY');
    const manifests = copied.flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(manifests).toEqual(expect.arrayContaining(['package.json', 'package-lock.json']));
    for (const pkg of readdirSync(path.join(ROOT, 'packages'))) expect(manifests).toContain(`packages/${pkg}/package.json`);
    expect(manifests.every((f) => f.endsWith('package.json') || f === 'package-lock.json')).toBe(true);
    expect(index(deps, 'COPY', /^packages /)).toBe(-1);
    expect(index(build, 'COPY', /^packages packages$/)).toBeGreaterThanOrEqual(0);
  });

  it('gives tfjs-node its install script in a stage with the compilers and network, and checks the backend at build time', () => {
    expect(deps.instructions[index(deps, 'RUN', /apt-get install/)]!.args).toMatch(/python3 make g\+\+/);
    expect(deps.instructions[index(deps, 'RUN', /npm ci/)]!.args).toMatch(/npm rebuild @tensorflow\/tfjs-node/);
    expect(build.instructions).toContainEqual({ keyword: 'ARG', args: 'WEARNET_REQUIRE_BACKEND=node' });
    const run = build.instructions[index(build, 'RUN', /tsc -b/)]!.args;
    expect(run).toMatch(/WEARNET_REQUIRE_BACKEND=\$\{WEARNET_REQUIRE_BACKEND\} node packages\/cli\/bin\/wearnet\.js backend/);
    expect(run).toMatch(/npm prune --omit=dev/);
  });

  it('final stage: no compilers, no dev dependencies, no sources, runs as the non-root node user, requires the native backend', () => {
    const runs = final.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    for (const r of runs) expect(r).not.toMatch(/apt-get|npm (ci|install)|g\+\+|python3|make\b/);
    const fromBuild = final.instructions.filter((i) => i.keyword === 'COPY' && i.args.startsWith('--from=build'));
    expect(fromBuild.map((i) => i.args.split(/\s+/)[1])).toEqual(['/app/package.json', '/app/node_modules', '/app/packages']);
    const user = final.instructions.filter((i) => i.keyword === 'USER');
    expect(user.map((u) => u.args)).toEqual(['node']);
    expect(index(final, 'USER')).toBeGreaterThan(final.instructions.map((i) => i.keyword).lastIndexOf('RUN'));
    const env = final.instructions.find((i) => i.keyword === 'ENV')!.args;
    expect(env).toMatch(/WEARNET_REQUIRE_BACKEND=\$\{WEARNET_REQUIRE_BACKEND\}/);
    expect(env).toMatch(/WEARNET_READY_FILE=\/tmp\/wearnet-ready/);
    expect(env).toMatch(/NODE_ENV=production/);
  });

  it('has a HEALTHCHECK on the ready file the role processes write', () => {
    const health = final.instructions.filter((i) => i.keyword === 'HEALTHCHECK');
    expect(health).toHaveLength(1);
    expect(health[0]!.args).toMatch(/CMD \["node", "-e", "require\('fs'\)\.accessSync\(process\.env\.WEARNET_READY_FILE\)"\]/);
  });

  it('does not send dependencies, build output or results into the build context', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', '**/node_modules', '**/dist', 'results', 'dist-pack']) expect(ignored).toContain(entry);
  });
});
