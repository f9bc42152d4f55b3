import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeRandomBundles } from './helpers/random-bundles';
import { classify, fuseVectors, readBundleSet, deviceDir } from '@wearnet/bundle';
import { loadStudent } from '@wearnet/device';
import { initRuntime } from '@wearnet/runtime';
import { loadDatasetSlice } from '@wearnet/workload';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'packages', 'cli', 'bin', 'wearnet.js');
const REQUESTS = 40;

/** Processes whose command line mentions `marker` (the run's directory), other than pgrep itself. */
function survivors(marker: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', marker], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.includes('pgrep'));
  } catch {
    return [];
  }
}

function topology(dir: string, name: string, extra = ''): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
seed: 5
bundles: ./bundles
link:
  preset: hbc-1m3
  lossProbability: 0
devices:
  count: 4
  class: cortex-m7-480
workload:
  dataset: { source: shipped, count: ${REQUESTS} }
  inputMode: local
  deadlineMs: 300
${extra}`,
  );
  return file;
}

function run(args: string[]): { child: ChildProcess; result: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, 'run', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const result = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, result };
}

function waitForOutput(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve) => {
    const onData = (d: Buffer): void => {
      if (d.toString().includes(text)) {
        child.stderr?.off('data', onData);
        resolve();
      }
    };
    child.stderr?.on('data', onData);
  });
}

async function waitUntil(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return predicate();
}

describe('a 4-device cluster as real processes', () => {
  let dir: string;

  beforeAll(() => {
    execFileSync('npx', ['tsc', '-b'], { cwd: ROOT, stdio: 'ignore' });
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-cluster-'));
    writeRandomBundles(path.join(dir, 'bundles'), { devices: 4, parts: 2, fusedWidth: 32, studentWidths: '8,8,8', seed: 3 });
  }, 60000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every request, predicts exactly what the offline evaluation of the same bundles predicts, counts bytes, and leaves no process behind', async () => {
    const out = path.join(dir, 'out-ok');
    const { result } = run([topology(dir, 'ok', 'thresholds: { maxDeadlineMissRate: 0 }'), '--out', out, '--quiet']);
    const { code, stdout, stderr } = await result;
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('latency p50');

    const records = readFileSync(path.join(out, 'requests.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records).toHaveLength(REQUESTS);
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.requests.finalised).toBe(REQUESTS);
    expect(summary.requests.correct).toBe(records.filter((r: { correct: boolean }) => r.correct).length);
    for (const record of records) {
      expect(record.arrived).toHaveLength(4);
      expect(record.deadlineMissed).toBe(false);
      expect(record.bytesDown).toBeGreaterThan(0);
      expect(record.bytesUp).toBeGreaterThan(4 * 16 * 4);
      expect(record.latencyMs).toBeGreaterThan(0);
    }
    expect(summary.latencyMs.p50).toBeGreaterThanOrEqual(summary.boundMs - 1e-6);
    expect(summary.latencyMs.p50).toBeLessThan(summary.boundMs * 1.1 + 1);
    expect(Object.keys(summary.processes)).toHaveLength(6);

    // Offline evaluation of the same bundles on the same images, in this process.
    await initRuntime();
    const set = await readBundleSet(path.join(dir, 'bundles'));
    const students = await Promise.all([0, 1, 2, 3].map((i) => loadStudent(deviceDir(set.dir, i))));
    const slice = await loadDatasetSlice({ source: 'shipped', count: REQUESTS });
    for (const record of records) {
      const image = slice.pixels.subarray(record.sample * 3072, (record.sample + 1) * 3072);
      const { prediction } = classify(
        set.aggregator.head,
        fuseVectors(
          set.aggregator.manifest,
          students.map((s) => s.predict(image)),
        ),
      );
      expect({ id: record.id, prediction: record.prediction, label: record.label }).toEqual({ id: record.id, prediction, label: slice.labels[record.sample] });
    }
    students.forEach((s) => s.dispose());
    expect(survivors(out)).toEqual([]);
  }, 60000);

  it('exits 99 with E_THRESHOLD_VIOLATED when a threshold of the topology is broken', async () => {
    const out = path.join(dir, 'out-threshold');
    const { code, stderr } = await run([topology(dir, 'strict', 'thresholds: { minAccuracy: 0.99 }'), '--out', out, '--quiet', '--requests', '10']).result;
    expect(code).toBe(99);
    expect(stderr).toContain('E_THRESHOLD_VIOLATED: thresholds violated: minAccuracy 0.99');
    expect(survivors(out)).toEqual([]);
  }, 60000);

  it('under --json prints one JSON document, the summary with the threshold error in it, and exits 99', async () => {
    const out = path.join(dir, 'out-threshold-json');
    const { code, stdout, stderr } = await run([
      topology(dir, 'strict', 'thresholds: { minAccuracy: 0.99 }'),
      '--out',
      out,
      '--quiet',
      '--requests',
      '10',
      '--json',
    ]).result;
    expect({ code, stderr }).toEqual({ code: 99, stderr: '' });
    const printed = JSON.parse(stdout);
    expect(printed.error).toEqual({ code: 'E_THRESHOLD_VIOLATED', message: expect.stringContaining('minAccuracy 0.99'), exitCode: 99 });
    expect(printed.requests.finalised).toBe(10);
    expect(printed.violations[0]).toMatchObject({ threshold: 'minAccuracy' });
  }, 60000);

  it('stops on Ctrl-C, writes partial results and tears every child down', async () => {
    const out = path.join(dir, 'out-sigint');
    const { child, result } = run([topology(dir, 'interrupted', ''), '--out', out, '--requests', '100000']);
    await waitForOutput(child, 'cluster up');
    child.kill('SIGINT');
    const { code, stderr } = await result;
    expect(code).toBe(130);
    expect(stderr).toContain('E_INTERRUPTED');
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.complete).toBe(false);
    expect(survivors(out)).toEqual([]);
  }, 60000);

  it('leaves no orphan when the launcher itself is killed', async () => {
    const out = path.join(dir, 'out-sigkill');
    const { child, result } = run([topology(dir, 'killed', ''), '--out', out, '--requests', '100000']);
    await waitForOutput(child, 'cluster up');
    expect(survivors(out).length).toBeGreaterThanOrEqual(6);
    child.kill('SIGKILL');
    await result;
    expect(await waitUntil(() => survivors(out).length === 0, 10000)).toBe(true);
    expect(existsSync(path.join(out, 'requests.jsonl'))).toBe(true);
  }, 60000);

  it('keeps the cluster secret out of every environment, command line, config, log and result, in a mode 0600 file removed at the end', async () => {
    const out = path.join(dir, 'out-secret');
    const { child, result } = run([topology(dir, 'secret', ''), '--out', out, '--requests', '100000']);
    await waitForOutput(child, 'cluster up');
    const secretFile = path.join(out, 'config', 'secret');
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    const secret = readFileSync(secretFile, 'utf8').trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const pids = survivors(out).map((line) => line.split(' ')[0]);
    expect(pids.length).toBeGreaterThanOrEqual(6);
    for (const pid of pids) {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      expect({ pid, token: environ.includes('WEARNET_TOKEN='), secret: environ.includes(secret) || cmdline.includes(secret) }).toEqual({
        pid,
        token: false,
        secret: false,
      });
    }
    child.kill('SIGINT');
    await result;
    expect(existsSync(secretFile)).toBe(false);
    const files = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(d, e.name)) : [path.join(d, e.name)]));
    for (const file of files(out)) expect({ file, leaked: readFileSync(file, 'utf8').includes(secret) }).toEqual({ file, leaked: false });
  }, 60000);
});
