import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { classify, deviceDir, fuseVectors, readBundleSet } from '@wearnet/bundle';
import { loadStudent } from '@wearnet/device';
import { failureSetOrder } from '@wearnet/faults';
import { initRuntime } from '@wearnet/runtime';
import { loadDatasetSlice } from '@wearnet/workload';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'packages', 'cli', 'bin', 'wearnet.js');
const PER_SET = 4;
const IMAGES = 40;

interface Record {
  id: number;
  sample: number;
  prediction: number;
  correct: boolean;
  arrived: string[];
  devices: { [id: string]: { missing?: string } };
}

function survivors(marker: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', marker], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.includes('pgrep'));
  } catch {
    return [];
  }
}

describe('wearnet sweep on 4 devices', () => {
  let dir: string;

  beforeAll(() => {
    execFileSync('npx', ['tsc', '-b'], { cwd: ROOT, stdio: 'ignore' });
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-sweep-'));
    const common = ['--devices', '4', '--fused-width', '32', '--student-widths', '8,8,8'];
    execFileSync(process.execPath, [CLI, 'bundles', 'random', '--out', path.join(dir, 'nonn'), '--method', 'nonn', ...common, '--seed', '4']);
    execFileSync(process.execPath, [CLI, 'bundles', 'random', '--out', path.join(dir, 'averaging'), '--parts', '2', ...common, '--seed', '3']);
    writeFileSync(
      path.join(dir, 'body.yaml'),
      `name: body
seed: 9
bundles: ./averaging
link: { preset: hbc-1m3, lossProbability: 0 }
devices: { count: 4, class: cortex-m7-480 }
workload:
  dataset: { source: shipped, count: ${IMAGES} }
  inputMode: local
  deadlineMs: 300
timeScale: 2
`,
    );
  }, 60000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Offline prediction of a request, computed here from the bundles, with `failed` devices missing. */
  async function offlinePredictor(bundles: string): Promise<(sample: number, failed: number[]) => number | null> {
    await initRuntime({ trainingKernels: false });
    const set = await readBundleSet(bundles);
    const slice = await loadDatasetSlice({ source: 'shipped', count: IMAGES });
    const students = await Promise.all([0, 1, 2, 3].map((d) => loadStudent(deviceDir(set.dir, d))));
    const vectors = students.map((s) => Array.from({ length: IMAGES }, (_, i) => s.predict(slice.pixels.subarray(i * 3072, (i + 1) * 3072))));
    students.forEach((s) => s.dispose());
    return (sample, failed) =>
      failed.length === 4
        ? null
        : classify(
            set.aggregator.head,
            fuseVectors(
              set.aggregator.manifest,
              vectors.map((v, d) => (failed.includes(d) ? undefined : v[sample])),
            ),
          ).prediction;
  }

  it('crashes exactly each failure set of every method and measures end to end what the offline evaluation predicts, request by request', async () => {
    const out = path.join(dir, 'crash');
    execFileSync(
      process.execPath,
      [
        CLI,
        'sweep',
        path.join(dir, 'body.yaml'),
        '--bundles',
        path.join(dir, 'nonn'),
        '--bundles',
        path.join(dir, 'averaging'),
        '--requests-per-set',
        String(PER_SET),
        '--out',
        out,
        '--quiet',
      ],
      { cwd: ROOT, stdio: 'ignore' },
    );
    const sweep = JSON.parse(readFileSync(path.join(out, 'sweep.json'), 'utf8'));
    const { sets } = failureSetOrder({ devices: 4 });
    expect(sweep.methods.map((m: { method: string }) => m.method)).toEqual(['nonn (random bundles)', 'averaging (random bundles)']);
    for (const [i, method] of sweep.methods.entries()) {
      const records: Record[] = readFileSync(path.join(method.runDir, 'requests.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(records).toHaveLength(16 * PER_SET);
      const predict = await offlinePredictor(path.join(dir, i === 0 ? 'nonn' : 'averaging'));
      const accuracy = new Map<number, { e2e: number; offline: number; n: number }>();
      for (const record of records) {
        const failed = sets[Math.floor(record.id / PER_SET)];
        // The devices of the set were really gone: the aggregator fused exactly the survivors.
        expect(record.arrived).toEqual([0, 1, 2, 3].filter((d) => !failed.includes(d)).map((d) => `device-${d}`));
        for (const d of failed) expect(record.devices[`device-${d}`]).toEqual({ missing: 'not-connected' });
        const offline = predict(record.sample, failed);
        expect({ id: record.id, prediction: record.prediction }).toEqual({ id: record.id, prediction: offline });
        const level = accuracy.get(failed.length) ?? { e2e: 0, offline: 0, n: 0 };
        level.e2e += record.correct ? 1 : 0;
        level.n += 1;
        accuracy.set(failed.length, level);
      }
      // The sweep's own table says the same: no difference at any level.
      for (const row of method.rows) {
        expect(row).toMatchObject({ difference: 0, disagreements: 0, sets: row.totalSets, requests: row.totalSets * PER_SET });
        expect(row.endToEnd).toBeCloseTo(accuracy.get(row.failed)!.e2e / accuracy.get(row.failed)!.n, 12);
      }
      const summary = JSON.parse(readFileSync(path.join(method.runDir, 'summary.json'), 'utf8'));
      expect(summary.run.method).toBe(method.method);
      // One crash period per time a device went down (Gray code: one device changes between sets).
      const crashes = sets.reduce((n, set, k) => n + set.filter((d) => k === 0 || !sets[k - 1].includes(d)).length, 0);
      expect(summary.faults.every((f: { kind: string }) => f.kind === 'crash')).toBe(true);
      expect(summary.faults).toHaveLength(crashes);
    }
    expect(readdirSync(out).sort()).toEqual(['01-nonn', '02-averaging', 'offline-01-nonn.json', 'offline-02-averaging.json', 'sweep.json']);
    expect(survivors(out)).toEqual([]);
  }, 300000); // a hang guard, not a speed check (it ran past 90 s at load 11)

  it('disconnects instead of crashing with --fault disconnect: the requests to the set are lost on the body, predictions still equal offline', async () => {
    const out = path.join(dir, 'disconnect');
    execFileSync(
      process.execPath,
      [
        CLI,
        'sweep',
        path.join(dir, 'body.yaml'),
        '--bundles',
        path.join(dir, 'averaging'),
        '--fault',
        'disconnect',
        '--max-failed',
        '2',
        '--requests-per-set',
        String(PER_SET),
        '--out',
        out,
        '--quiet',
      ],
      { cwd: ROOT, stdio: 'ignore' },
    );
    const sweep = JSON.parse(readFileSync(path.join(out, 'sweep.json'), 'utf8'));
    const [method] = sweep.methods;
    expect(method.rows.map((r: { failed: number; sets: number }) => [r.failed, r.sets])).toEqual([
      [0, 1],
      [1, 4],
      [2, 6],
    ]);
    for (const row of method.rows) expect(row).toMatchObject({ difference: 0, disagreements: 0 });
    const records: Record[] = readFileSync(path.join(method.runDir, 'requests.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const missing = records.flatMap((r) => Object.values(r.devices).flatMap((d) => (d.missing ? [d.missing] : [])));
    expect(new Set(missing)).toEqual(new Set(['downlink-lost']));
    expect(survivors(out)).toEqual([]);
  }, 60000);
});
