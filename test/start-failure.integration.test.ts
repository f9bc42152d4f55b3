import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeRandomBundles } from './helpers/random-bundles';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'packages', 'cli', 'bin', 'wearnet.js');

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'run', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('failures are loud and early: a device bundle that cannot load', () => {
  let dir: string;
  let weights: string;
  const topology = (name: string, extra = ''): string => {
    const file = path.join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      `name: ${name}
seed: 2
bundles: ./broken
link: { preset: hbc-1m3, lossProbability: 0 }
devices: { count: 3, class: cortex-m7-480 }
workload: { dataset: { source: shipped, count: 6 }, inputMode: local, deadlineMs: 200 }
${extra}`,
    );
    return file;
  };
  beforeAll(() => {
    execFileSync('npx', ['tsc', '-b'], { cwd: ROOT, stdio: 'ignore' });
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-start-'));
    writeRandomBundles(path.join(dir, 'bundles'), { devices: 3, parts: 1, fusedWidth: 16, studentWidths: '4,4,4', seed: 4 });
    cpSync(path.join(dir, 'bundles'), path.join(dir, 'broken'), { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'broken', 'device-2', 'manifest.json'), 'utf8')) as { files: { weights: string } };
    weights = path.join(dir, 'broken', 'device-2', manifest.files.weights);
    truncateSync(weights, Math.floor(statSync(weights).size / 2));
  }, 60000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails the start before any process runs with E_DEVICE_FAILED naming the device, its own code and the file', async () => {
    const out = path.join(dir, 'out-strict');
    const { code, stderr } = await run([topology('strict'), '--out', out, '--quiet']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('E_DEVICE_FAILED');
    expect(stderr).toContain('device-2: E_BUNDLE_HASH_MISMATCH');
    expect(stderr).toContain(weights);
  }, 60000);

  it('with allowDegradedStart runs without the device and lists it as a violation in summary.json', async () => {
    const out = path.join(dir, 'out-degraded');
    const { code, stderr } = await run([topology('degraded', 'allowDegradedStart: true'), '--out', out, '--quiet']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('device-2 left out of a degraded start (E_BUNDLE_HASH_MISMATCH');
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.violations).toEqual([expect.objectContaining({ threshold: 'allowDegradedStart', device: 'device-2', code: 'E_BUNDLE_HASH_MISMATCH' })]);
    expect(summary.requests.finalised).toBe(6);
    expect(Object.keys(summary.devices)).toEqual(['device-0', 'device-1']);
  }, 60000);
});
