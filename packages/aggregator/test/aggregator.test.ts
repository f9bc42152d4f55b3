import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeAggregatorBundle } from '@wearnet/bundle';
import { resolveDeviceClass } from '@wearnet/hardware';
import { hostNowMs, resolveLinkConfig } from '@wearnet/link';
import { startMedium, type MediumServer } from '@wearnet/medium';
import { startAggregator, type RequestRecord } from '../src/index';
import { encodeMessage, encodeTimedFrame, packVector } from '@wearnet/protocol';
import { WebSocket } from 'ws';
import { FakeDevice, type Behaviour } from './fake-device';

const SECRET = 'aggregator-test-secret-0123';
// Real ms the aggregator waits past a modelled deadline for deliveries already due: generous, so
// that a loaded host (CI, parallel suites) cannot turn a result stamped in time into a missing one.
const HOST_GRACE_MS = 1500;
const link = resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0 } });
const deviceClass = resolveDeviceClass({ name: 'cortex-m7-480' });

/** Head that predicts class 1 when part 0 is positive and class 2 when part 1 is; class 0 otherwise. */
async function writeBundle(dir: string): Promise<void> {
  const weights = new Float32Array(2 * 3);
  weights[0 * 3 + 1] = 1;
  weights[1 * 3 + 2] = 2;
  await writeAggregatorBundle(
    dir,
    {
      format: 'wearnet-aggregator-bundle',
      version: 1,
      method: 'averaging',
      devices: 4,
      parts: 2,
      devicePart: [0, 1, 0, 1],
      partWidths: [1, 1],
      fusion: 'part-average',
      classes: 3,
      head: { file: 'head.bin', inputs: 2, outputs: 3 },
    },
    { inputs: 2, outputs: 3, weights, bias: Float32Array.from([0.5, 0, 0]) },
  );
}

describe('aggregator against a real medium and fake devices', () => {
  let dir: string;
  let medium: MediumServer;
  const epochMs = hostNowMs();

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-agg-'));
    await writeBundle(path.join(dir, 'aggregator'));
    medium = await startMedium({ link, seed: 1, secret: SECRET, epochMs });
  });
  afterEach(async () => {
    await medium.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function runWith(behaviours: Behaviour[], deadlineMs: number, requests = 3): Promise<{ records: RequestRecord[]; devices: FakeDevice[] }> {
    const aggregator = await startAggregator({
      mediumUrl: medium.url,
      secret: SECRET,
      bundleDir: path.join(dir, 'aggregator'),
      devices: behaviours.map((_, i) => ({ deviceId: `device-${i}`, deviceIndex: i, deviceClass })),
      workload: { dataset: { source: 'shipped', count: requests }, inputMode: 'local', deadlineMs },
      link,
      epochMs,
      outDir: path.join(dir, 'out'),
      graceMs: HOST_GRACE_MS,
    });
    const devices = behaviours.map((b, i) => new FakeDevice(`device-${i}`, i, i % 2, 1, b));
    await Promise.all(devices.map((d) => d.connect(medium.url, SECRET)));
    await aggregator.done;
    await aggregator.close();
    devices.forEach((d) => d.close());
    const records = readFileSync(path.join(dir, 'out', 'requests.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RequestRecord);
    return { records, devices };
  }

  const answer =
    (value: number, delayMs = 1): Behaviour =>
    () => ({ vector: Float32Array.from([value]), delayMs });

  it('fuses every vector when all devices answer in time and records one line per request', async () => {
    const { records } = await runWith([answer(1), answer(0), answer(3), answer(0)], 200);
    expect(records).toHaveLength(3);
    for (const r of records) {
      expect(r.arrived).toHaveLength(4);
      expect(r.deadlineMissed).toBe(false);
      expect(r.prediction).toBe(1); // part 0 = mean(1, 3) = 2 > bias 0.5
    }
  });

  it('records a request with nothing fused with no prediction (null), not as class 0', async () => {
    const ignore: Behaviour = () => 'ignore';
    const { records } = await runWith([ignore, ignore, ignore, ignore], 60, 2);
    for (const r of records) {
      expect(r.arrived).toEqual([]);
      expect(r.prediction).toBeNull();
      expect(r.correct).toBe(false);
    }
  });

  it('averages a part over its survivors when a device never answers, at the deadline', async () => {
    const ignore: Behaviour = () => 'ignore';
    const { records } = await runWith([answer(0), answer(1), ignore, answer(0)], 80);
    for (const r of records) {
      expect(r.arrived).toEqual(['device-0', 'device-1', 'device-3']);
      expect(r.devices['device-2']).toEqual({ missing: 'no-reply' });
      expect(r.deadlineMissed).toBe(true);
      expect(r.latencyMs).toBeCloseTo(80, 6);
      expect(r.prediction).toBe(2); // part 1 = mean(1, 0) = 0.5, weight 2 -> 1 > bias 0.5
    }
  });

  it('leaves a result that arrives after the deadline out of the fusion and records nothing heard by then', async () => {
    const { records } = await runWith([answer(1), answer(0), answer(1), answer(5, 500)], 100);
    for (const r of records) {
      // Stamped 400 ms past the deadline: left out either way. Which of the two reasons the record
      // gives depends on host timing only (the deadline timer fired first: no-reply; the frame was
      // delivered first, on a loaded host: late), both are true of the modelled run.
      expect(['no-reply', 'late']).toContain(r.devices['device-3'].missing);
      expect(r.devices['device-3'].latencyMs).toBeUndefined();
      expect(r.arrived).not.toContain('device-3');
      expect(r.prediction).toBe(1); // part 1 is device-1 alone (0): class 1 wins with part 0 = 1
    }
  });

  it("fuses no forged vector: a stranger without the secret and one with a wrong secret are refused by the medium, and every record holds only the real devices' vectors", async () => {
    const aggregator = await startAggregator({
      mediumUrl: medium.url,
      secret: SECRET,
      bundleDir: path.join(dir, 'aggregator'),
      devices: [0, 1].map((i) => ({ deviceId: `device-${i}`, deviceIndex: i, deviceClass })),
      workload: { dataset: { source: 'shipped', count: 4 }, inputMode: 'local', deadlineMs: 200 },
      link,
      epochMs,
      outDir: path.join(dir, 'out'),
      graceMs: HOST_GRACE_MS,
    });
    // Strangers first: one that never proves anything, spamming results for device-1; one with a wrong secret for device-0.
    const forged = (requestId: number): Uint8Array =>
      encodeTimedFrame({
        atMs: 0,
        payload: encodeMessage({ v: 1, type: 'result', requestId, vector: packVector(Float32Array.from([1000])), computeMs: 1, hostMs: 0 }),
      });
    const silent = new WebSocket(`${medium.url}/device/device-1`);
    await new Promise((resolve) => silent.once('open', resolve));
    const wrong = new FakeDevice('device-0', 0, 0, 1, answer(-1000));
    expect(await wrong.connect(medium.url, 'not-the-secret-of-this-run')).toMatchObject({ type: 'refused', code: 'E_AUTH_FAILED' });
    const devices = [new FakeDevice('device-0', 0, 0, 1, answer(1, 20)), new FakeDevice('device-1', 1, 1, 1, answer(0, 20))];
    await Promise.all(devices.map((d) => d.connect(medium.url, SECRET)));
    await aggregator.started;
    for (let id = 0; id < 4; id += 1) silent.send(forged(id));
    await aggregator.done;
    await aggregator.close();
    devices.forEach((d) => d.close());
    silent.terminate();
    const records = readFileSync(path.join(dir, 'out', 'requests.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RequestRecord);
    expect(records).toHaveLength(4);
    for (const r of records) {
      expect(r.arrived).toEqual(['device-0', 'device-1']);
      expect(r.prediction).toBe(1); // a forged part-1 value of 1000 would make it class 2
    }
    expect(medium.report().refused).toBeGreaterThanOrEqual(1);
  });

  it('issues nothing beyond its issue limit until allowed more (never below what it issued), reports when it is idle, and tells who is authenticated', async () => {
    const progress: { done: number; allowed: number; issued: number }[] = [];
    const authenticated: string[][] = [];
    const aggregator = await startAggregator({
      mediumUrl: medium.url,
      secret: SECRET,
      bundleDir: path.join(dir, 'aggregator'),
      devices: [0, 1, 2, 3].map((i) => ({ deviceId: `device-${i}`, deviceIndex: i, deviceClass })),
      workload: { dataset: { source: 'shipped', count: 5 }, inputMode: 'local', deadlineMs: 200 },
      link,
      epochMs,
      outDir: path.join(dir, 'out'),
      issueLimit: 0,
      onProgress: (p) => progress.push({ done: p.done, allowed: p.allowed, issued: p.issued }),
      onDevices: (ids) => authenticated.push(ids),
    });
    const devices = [0, 1, 2, 3].map((i) => new FakeDevice(`device-${i}`, i, i % 2, 1, answer(1)));
    await Promise.all(devices.map((d) => d.connect(medium.url, SECRET)));
    expect(await aggregator.started).toBe(4);
    expect(authenticated[authenticated.length - 1]).toEqual(['device-0', 'device-1', 'device-2', 'device-3']);
    await new Promise((r) => setTimeout(r, 150));
    expect(progress).toEqual([]);
    const idleAt = (n: number): Promise<void> =>
      new Promise((resolve) => {
        const poll = setInterval(() => {
          if (progress.some((p) => p.done === n && p.allowed === n)) {
            clearInterval(poll);
            resolve();
          }
        }, 10);
      });
    aggregator.allowRequests(2);
    await idleAt(2);
    await new Promise((r) => setTimeout(r, 100));
    expect(Math.max(...progress.map((p) => p.issued))).toBe(2);
    aggregator.allowRequests(1); // never below what it has issued
    await new Promise((r) => setTimeout(r, 100));
    expect(Math.max(...progress.map((p) => p.issued))).toBe(2);
    aggregator.allowRequests(99); // never beyond the workload
    const summary = await aggregator.done;
    expect(summary.requests.finalised).toBe(5);
    expect(progress[progress.length - 1]).toEqual({ done: 5, allowed: 5, issued: 5 });
    devices[3].close();
    await aggregator.close();
    devices.forEach((d) => d.close());
  });
});
