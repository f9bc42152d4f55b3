/**
 * Example suite (copy it into your project): a fault schedule written in the topology, at exact
 * request counts, checked against the records of the run. No control API calls are needed: the
 * launcher holds the workload at each count until the fault is applied. It runs the `wearnet`
 * installed in your project (in this repository, the workspace's; build it first, `npm test` does).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RequestRecord } from '@wearnet/control-client';

/** The installed `wearnet` (what `npx wearnet` runs): the nearest node_modules/.bin/wearnet above this file. */
function installedWearnet(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const bin = path.join(dir, 'node_modules', '.bin', 'wearnet');
    if (existsSync(bin)) return bin;
    if (path.dirname(dir) === dir) throw new Error('wearnet is not installed here: npm install @wearnet/cli (see the README)');
  }
}
const WEARNET = [installedWearnet()];

describe('a topology fault schedule at exact request counts', () => {
  let dir: string;
  let records: RequestRecord[];
  let summary: { faults: { kind: string; target: string; id: string }[]; requests: { finalised: number } };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-example-'));
    execFileSync(process.execPath, [
      ...WEARNET,
      'bundles',
      'random',
      '--out',
      path.join(dir, 'bundles'),
      '--devices',
      '4',
      '--parts',
      '2',
      '--fused-width',
      '32',
      '--student-widths',
      '8,8,8',
      '--seed',
      '3',
    ]);
    writeFileSync(
      path.join(dir, 'scheduled.yaml'),
      `name: scheduled
seed: 11
bundles: ./bundles
link: { preset: hbc-1m3, lossProbability: 0 }
devices: { count: 4, class: cortex-m7-480 }
workload:
  dataset: { source: shipped, count: 60 }
  inputMode: local
  deadlineMs: 300
timeScale: 2
faults:
  - { id: crash-0, kind: crash, target: device-0, afterRequests: 10, forRequests: 10 }
  - { id: deaf-3, kind: link-down, target: device-3, direction: downlink, afterRequests: 30, forRequests: 5 }
  - { id: lossy-1, kind: degrade, target: device-1, direction: uplink, loss: 1, afterRequests: 40, forRequests: 5 }
  - { id: slow-2, kind: slow, target: device-2, factor: 1000, afterRequests: 50 }
  - { id: frozen-3, kind: pause, target: device-3, afterRequests: 55 }
`,
    );
    // Exits 0 when the workload is done; the slow-down and the pause hold until the end of the run,
    // and teardown still stops every process (a paused one is continued first).
    execFileSync(process.execPath, [...WEARNET, 'run', path.join(dir, 'scheduled.yaml'), '--out', path.join(dir, 'out'), '--quiet'], { stdio: 'ignore' });
    records = readFileSync(path.join(dir, 'out', 'requests.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RequestRecord);
    summary = JSON.parse(readFileSync(path.join(dir, 'out', 'summary.json'), 'utf8'));
  }, 90000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const missingFrom = (device: string): number[] => records.filter((r) => !r.arrived.includes(device)).map((r) => r.id);
  const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

  it('runs every request', () => {
    expect(records.map((r) => r.id)).toEqual(range(0, 60));
  });

  it('misses device-0 in exactly requests 10..19, while it is crashed', () => {
    expect(missingFrom('device-0')).toEqual(range(10, 20));
    for (const id of range(10, 20)) expect(records[id].devices['device-0']).toEqual({ missing: 'not-connected' });
  });

  it('loses the requests to device-3 in exactly requests 30..34, while its downlink is down, and hears nothing from it once it is paused', () => {
    expect(missingFrom('device-3')).toEqual([...range(30, 35), ...range(55, 60)]);
    for (const id of range(30, 35)) expect(records[id].devices['device-3']).toEqual({ missing: 'downlink-lost' });
    for (const id of range(55, 60)) expect(records[id].devices['device-3']).toEqual({ missing: 'no-reply' });
  });

  it('loses the results of device-1 in exactly requests 40..44, while its uplink loses every frame', () => {
    expect(missingFrom('device-1')).toEqual(range(40, 45));
  });

  it('makes device-2 late from request 50 on, once its compute is 1000 times slower, beyond the deadline', () => {
    expect(missingFrom('device-2')).toEqual(range(50, 60));
    for (const id of range(50, 60)) expect(records[id].deadlineMissed).toBe(true);
  });

  it('records one fault period per fault in summary.json', () => {
    expect(summary.faults.map((f) => `${f.id} ${f.kind} ${f.target}`)).toEqual([
      'crash-0 crash device-0',
      'deaf-3 link-down device-3',
      'lossy-1 degrade device-1',
      'slow-2 slow device-2',
      'frozen-3 pause device-3',
    ]);
  });

  it('leaves no process behind, paused or not', () => {
    let left = '';
    try {
      left = execFileSync('pgrep', ['-af', dir], { encoding: 'utf8' });
    } catch {
      // pgrep exits 1 when nothing matches
    }
    expect(left.split('\n').filter((l) => l.trim() !== '' && !l.includes('pgrep'))).toEqual([]);
  });
});
