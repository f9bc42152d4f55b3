/**
 * Example suite (copy it into your project): start a small gated cluster, crash two devices
 * through the control API in the middle of the run, and check what the aggregator fused; then
 * slow one device's uplink with a latency fault and update it in place.
 * It runs the `wearnet` installed in your project (`npm install @wearnet/cli @wearnet/control-client`;
 * in this repository, the workspace's) on small random bundles; use your exported bundle set instead.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { connectToRun, type ControlClient } from '@wearnet/control-client';

/** The installed `wearnet` (what `npx wearnet` runs): the nearest node_modules/.bin/wearnet above this file. */
function installedWearnet(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const bin = path.join(dir, 'node_modules', '.bin', 'wearnet');
    if (existsSync(bin)) return bin;
    if (path.dirname(dir) === dir) throw new Error('wearnet is not installed here: npm install @wearnet/cli (see the README)');
  }
}
const WEARNET = [installedWearnet()];

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

describe('crashing two of four devices mid-run', () => {
  let dir: string;
  let run: ChildProcess;
  let exited: Promise<number | null>;
  let client: ControlClient;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-example-'));
    // Small random bundles: 4 devices, averaging over 2 parts (device i serves part i mod 2).
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
      path.join(dir, 'cluster.yaml'),
      `name: crash-two
seed: 7
bundles: ./bundles
link: { preset: hbc-1m3, lossProbability: 0 }
devices: { count: 4, class: cortex-m7-480 }
workload:
  dataset: { source: shipped, count: 100 }
  inputMode: local
  deadlineMs: 300
  gated: true          # requests run only when the test asks (client.runRequests)
timeScale: 2
`,
    );
    run = spawn(process.execPath, [...WEARNET, 'run', path.join(dir, 'cluster.yaml'), '--out', path.join(dir, 'out'), '--quiet'], { stdio: 'ignore' });
    exited = new Promise((resolve) => run.on('close', resolve));
    client = await connectToRun({ outDir: path.join(dir, 'out') });
  }, 60000);

  afterAll(async () => {
    if (run.exitCode === null) run.kill('SIGINT');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('fuses all four vectors while every device is up', async () => {
    const records = await client.runRequests(10);
    expect(records).toHaveLength(10);
    for (const r of records) expect(r.arrived).toEqual(['device-0', 'device-1', 'device-2', 'device-3']);
  });

  it('fuses only the survivors while device-1 and device-2 are crashed, without waiting for the deadline', async () => {
    const fault = await client.addFault({ id: 'two-down', kind: 'crash', target: ['device-1', 'device-2'] });
    expect(fault.state).toBe('active');
    const devices = await client.listDevices();
    expect(devices.filter((d) => d.state === 'down').map((d) => d.id)).toEqual(['device-1', 'device-2']);

    const records = await client.runRequests(10);
    for (const r of records) {
      expect(r.arrived).toEqual(['device-0', 'device-3']);
      expect(r.devices['device-1']).toEqual({ missing: 'not-connected' });
      expect(r.deadlineMissed).toBe(false);
    }
  });

  it('brings both devices back on reset, as new processes', async () => {
    expect(await client.reset()).toBe(1);
    const devices = await client.listDevices();
    expect(devices.every((d) => d.state === 'running')).toBe(true);
    expect(devices.find((d) => d.id === 'device-1')?.incarnations).toBe(2);
    const records = await client.runRequests(10);
    for (const r of records) expect(r.arrived).toHaveLength(4);
  });

  it('delays device-3 by a latency fault on its uplink, then by the value it is updated to in place', async () => {
    const latencyOf = (records: { devices: Record<string, unknown> }[]): number[] =>
      records.map((r) => (r.devices['device-3'] as { latencyMs: number }).latencyMs);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const before = latencyOf(await client.runRequests(10));
    // Where device-3's vector falls among the others' on the shared medium varies a little: allow that spread.
    const slack = Math.max(...before) - Math.min(...before) + 1;
    await client.addFault({ id: 'lag', kind: 'latency', target: 'device-3', direction: 'uplink', latencyMs: 40 });
    expect(Math.abs(mean(latencyOf(await client.runRequests(10))) - mean(before) - 40)).toBeLessThanOrEqual(slack);
    expect((await client.updateFault('lag', { latencyMs: 80 })).spec).toMatchObject({ latencyMs: 80 });
    expect(Math.abs(mean(latencyOf(await client.runRequests(10))) - mean(before) - 80)).toBeLessThanOrEqual(slack);
    await client.removeFault('lag');
  });

  it('ends cleanly on stop, leaves no process behind, and records the crash periods in summary.json', async () => {
    await client.stop();
    expect(await exited).toBe(0);
    expect(survivors(dir)).toEqual([]);
    const summary = JSON.parse(readFileSync(path.join(dir, 'out', 'summary.json'), 'utf8'));
    expect(summary.requests.finalised).toBe(60);
    expect(summary.faults.map((f: { kind: string; target: string }) => `${f.kind} ${f.target}`)).toEqual([
      'crash device-1',
      'crash device-2',
      'latency device-3',
    ]);
    const records = readFileSync(path.join(dir, 'out', 'requests.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const crashed = records.filter((r: { startMs: number }) => r.startMs >= summary.faults[0].startMs && r.startMs <= summary.faults[0].endMs);
    expect(crashed.map((r: { id: number }) => r.id)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });
});
