/**
 * Deploy like users do (issue 14, item 1): pack the CLI and the control client as self-contained
 * tarballs (scripts/pack.js), install them into a fresh directory outside the repository from
 * npm's cache, run the embedded default there with `npx wearnet run`, and run a copied example
 * suite (test/examples) with that project's own jest against the installed `wearnet`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const LOCK = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
const locked = (name: string): string => `${name}@${LOCK.packages[`node_modules/${name}`]!.version}`;

/**
 * `npm install` from npm's cache: `--offline` (no network at all); where the cache lacks a
 * package's metadata (a cache filled by `npm ci` holds tarballs, not metadata) `--prefer-offline`,
 * which asks the registry only for what is not cached. Returns the mode that worked.
 */
function npmInstall(cwd: string, args: string[]): 'offline' | 'prefer-offline' {
  const base = ['install', '--no-audit', '--no-fund', '--loglevel=error'];
  try {
    execFileSync('npm', [...base, '--offline', ...args], { cwd, stdio: 'pipe' });
    return 'offline';
  } catch (err) {
    if (!/ENOTCACHED/.test(String((err as { stderr?: Buffer }).stderr ?? ''))) throw err;
    execFileSync('npm', [...base, '--prefer-offline', ...args], { cwd, stdio: 'pipe' });
    return 'prefer-offline';
  }
}

describe('installing wearnet from its tarballs', () => {
  let dir: string;
  let project: string;
  let tarballs: string[];

  beforeAll(() => {
    execFileSync('npx', ['tsc', '-b'], { cwd: ROOT, stdio: 'ignore' });
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-install-'));
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'pack.js'), '--out', path.join(dir, 'pack')], { stdio: 'ignore' });
    tarballs = ['wearnet-cli-0.1.0.tgz', 'wearnet-control-client-0.1.0.tgz'].map((f) => path.join(dir, 'pack', f));
    project = path.join(dir, 'project');
    mkdirSync(project);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'my-wearables', version: '1.0.0', private: true }));
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('packs the CLI with its built dist, every workspace package it needs, the default topologies and their bundles', () => {
    const files = execFileSync('tar', ['tzf', tarballs[0]!], { encoding: 'utf8' }).split('\n');
    for (const f of ['bin/wearnet.js', 'dist/main.js', 'topologies/body-8.yaml', 'bundles/averaging-8/aggregator/manifest.json'])
      expect(files).toContain(`package/${f}`);
    for (const p of ['launcher', 'roles', 'device', 'medium', 'aggregator', 'runtime', 'data']) {
      expect(files).toContain(`package/node_modules/@wearnet/${p}/dist/index.js`);
    }
    expect(files).toContain('package/node_modules/@wearnet/data/assets/MANIFEST.json');
  });

  it('installs both tarballs into a fresh directory from npm cache, with the `wearnet` bin', () => {
    expect(['offline', 'prefer-offline']).toContain(npmInstall(project, tarballs));
    expect(existsSync(path.join(project, 'node_modules', '.bin', 'wearnet'))).toBe(true);
    expect(existsSync(path.join(project, 'node_modules', '@wearnet', 'control-client', 'dist', 'index.js'))).toBe(true);
  }, 120_000);

  it('runs the embedded default topology there with `npx wearnet run`', () => {
    const out = execFileSync('npx', ['wearnet', 'run', '--requests', '16', '--quiet', '--json', '--out', path.join(project, 'results', 'default')], {
      cwd: project,
      encoding: 'utf8',
    });
    const summary = JSON.parse(out) as { run: { devices: string[] }; requests: { finalised: number } };
    expect(summary.run.devices).toHaveLength(8);
    expect(summary.requests.finalised).toBe(16);
  }, 60_000);

  it('passes a copied example suite against the installed wearnet, with the project’s own jest', () => {
    npmInstall(project, ['--save-dev', locked('jest'), locked('ts-jest'), locked('typescript'), locked('@types/jest'), locked('@types/node')]);
    mkdirSync(path.join(project, 'test'));
    copyFileSync(path.join(ROOT, 'test', 'examples', 'crash-two-devices.integration.test.ts'), path.join(project, 'test', 'crash-two-devices.test.ts'));
    writeFileSync(path.join(project, 'jest.config.js'), "module.exports = { preset: 'ts-jest', testEnvironment: 'node', testTimeout: 60000 };\n");
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'es2022', module: 'commonjs', strict: true, esModuleInterop: true, types: ['jest', 'node'] } }),
    );
    const report = execFileSync('npx', ['jest', '--ci', '--json'], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const result = JSON.parse(report) as { success: boolean; numPassedTests: number; numFailedTests: number };
    // Every test of the copied suite ran and passed.
    const tests = (readFileSync(path.join(ROOT, 'test', 'examples', 'crash-two-devices.integration.test.ts'), 'utf8').match(/^\s*it\(/gm) ?? []).length;
    expect(tests).toBeGreaterThanOrEqual(4);
    expect(result).toMatchObject({ success: true, numFailedTests: 0, numPassedTests: tests });
  }, 180_000);
});
