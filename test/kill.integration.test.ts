import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeRandomBundles } from './helpers/random-bundles';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'packages', 'cli', 'bin', 'wearnet.js');

/** `pid command` of the processes whose command line mentions `marker`, other than pgrep itself. */
function processes(marker: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', marker], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.includes('pgrep'));
  } catch {
    return [];
  }
}

function lines(file: string): { id: number; cut?: { code: string }; prediction: number | null; devices: Record<string, { missing?: string }> }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

async function until(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return predicate();
}

/** What is killed, how, and whether the launcher still has to be stopped afterwards (the run survives a device). */
const CASES: { target: 'aggregator' | 'medium' | 'device-1' | 'launcher'; signal: NodeJS.Signals; cutExpected: boolean }[] = [
  { target: 'aggregator', signal: 'SIGKILL', cutExpected: true },
  { target: 'aggregator', signal: 'SIGTERM', cutExpected: true },
  { target: 'medium', signal: 'SIGKILL', cutExpected: true },
  { target: 'medium', signal: 'SIGTERM', cutExpected: true },
  { target: 'device-1', signal: 'SIGKILL', cutExpected: false },
  { target: 'launcher', signal: 'SIGTERM', cutExpected: true },
  { target: 'launcher', signal: 'SIGKILL', cutExpected: true },
];

describe('no lost records: killing any process of a run mid-run', () => {
  let dir: string;
  let topologyFile: string;
  beforeAll(() => {
    execFileSync('npx', ['tsc', '-b'], { cwd: ROOT, stdio: 'ignore' });
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-kill-'));
    writeRandomBundles(path.join(dir, 'bundles'), { devices: 3, parts: 1, fusedWidth: 16, studentWidths: '4,4,4', seed: 4 });
    topologyFile = path.join(dir, 'kill.yaml');
    writeFileSync(
      topologyFile,
      `name: kill
seed: 6
bundles: ./bundles
link: { preset: hbc-1m3, lossProbability: 0 }
devices: { count: 3, class: cortex-m7-480 }
workload:
  dataset: { source: shipped, count: 50 }
  requests: 100000
  inputMode: local
  deadlineMs: 200
`,
    );
  }, 60000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const { target, signal, cutExpected } of CASES) {
    it(`keeps exactly one record per issued request and writes summary.json when the ${target} gets ${signal}`, async () => {
      const out = path.join(dir, `out-${target}-${signal}`);
      const launcher: ChildProcess = spawn(process.execPath, [CLI, 'run', topologyFile, '--out', out, '--quiet'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      launcher.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => launcher.on('close', (code) => resolve(code)));
      const records = path.join(out, 'requests.jsonl');
      expect(await until(() => lines(records).length >= 5, 40000)).toBe(true);
      if (target === 'launcher') launcher.kill(signal);
      else {
        const line = processes(path.join(out, 'config', `${target}.json`))[0];
        expect(line).toBeDefined();
        process.kill(Number(line.split(' ')[0]), signal);
      }
      if (target === 'device-1') {
        const before = lines(records).length;
        expect(await until(() => lines(records).length >= before + 5, 40000)).toBe(true);
        launcher.kill('SIGINT');
      }
      await exited;
      // Every process of the run is gone (children of a killed launcher follow their stdin).
      expect(await until(() => processes(out).length === 0, 15000)).toBe(true);

      const issued = lines(path.join(out, 'issued.jsonl')).map((e) => e.id);
      const recorded = lines(records).map((r) => r.id);
      expect(new Set(recorded).size).toBe(recorded.length);
      expect([...recorded].sort((a, b) => a - b)).toEqual([...issued].sort((a, b) => a - b));
      expect(issued).toEqual(issued.map((_, i) => i));
      const cut = lines(records).filter((r) => r.cut);
      if (cutExpected) expect(cut.length).toBeGreaterThanOrEqual(1);
      if (target === 'device-1') expect(lines(records).some((r) => r.devices['device-1']?.missing !== undefined)).toBe(true);
      const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
      expect({ complete: summary.complete, finalised: summary.requests.finalised, hasCause: typeof summary.cause?.code === 'string' }).toEqual({
        complete: false,
        finalised: recorded.length,
        hasCause: true,
      });
      void stderr;
    }, 90000);
  }
});
