import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { startModnnHub, type ModnnRecord } from '@wearnet/aggregator';
import { CIFAR100_MEAN, CIFAR100_STD, fillBatch, loadShippedTestSubset } from '@wearnet/data';
import { startModnnDevice, type ModnnDeviceHandle } from '@wearnet/device';
import { resolveDeviceClass } from '@wearnet/hardware';
import { hostNowMs, resolveLinkConfig } from '@wearnet/link';
import { startMedium, type MediumServer } from '@wearnet/medium';
import { exportModnnBundles, planTraffic, readModnnBundleSet } from '@wearnet/modnn';
import { initRuntime, loadModelFromDir } from '@wearnet/runtime';

const ROOT = path.resolve(__dirname, '..');
const TEACHER = path.join(ROOT, 'artifacts', 'teacher-quick');
const SECRET = 'modnn-cluster-test-secret';
const IMAGES = 6;
const K = 2;
const link = resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0 } });
const m7 = resolveDeviceClass({ name: 'cortex-m7-480' });
const dataset = { source: 'shipped' as const, count: IMAGES };
const devices = Array.from({ length: K }, (_, i) => ({ deviceId: `device-${i}`, deviceIndex: i, deviceClass: m7 }));

describe('MoDNN through the medium: K = 2 devices of the quick teacher, halos device to device', () => {
  let dir: string;
  let medium: MediumServer;
  let reference: Float32Array;
  const epochMs = hostNowMs();

  beforeAll(async () => {
    await initRuntime({ backend: 'wasm' });
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-modnn-'));
    await exportModnnBundles({ teacherDir: TEACHER, outDir: path.join(dir, 'set'), devices: K, mean: [...CIFAR100_MEAN], std: [...CIFAR100_STD] });
    const model = await loadModelFromDir(path.join(TEACHER, 'model'));
    const split = await loadShippedTestSubset();
    const images = new Float32Array(IMAGES * 3072);
    fillBatch({ split, indices: Array.from({ length: IMAGES }, (_, i) => i), out: images });
    reference = tf.tidy(() => (model.predict(tf.tensor4d(images, [IMAGES, 32, 32, 3])) as tf.Tensor).dataSync() as Float32Array);
    model.dispose();
  });
  beforeEach(async () => {
    medium = await startMedium({ link, seed: 1, secret: SECRET, epochMs });
  });
  afterEach(async () => medium.close());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function cluster(running: number[], out: string, deadlineMs: number) {
    const hub = await startModnnHub({
      mediumUrl: medium.url,
      secret: SECRET,
      setDir: path.join(dir, 'set'),
      devices,
      link,
      epochMs,
      dataset,
      deadlineMs,
      outDir: out,
    });
    const started: ModnnDeviceHandle[] = [];
    for (const i of running) {
      const options = {
        deviceId: `device-${i}`,
        deviceIndex: i,
        setDir: path.join(dir, 'set'),
        mediumUrl: medium.url,
        secret: SECRET,
        deviceClass: m7,
        epochMs,
        dataset,
      };
      started.push(await startModnnDevice(options));
    }
    await Promise.all(started.map((d) => d.ready));
    hub.begin();
    const summary = await hub.done;
    await hub.close();
    await Promise.all(started.map((d) => d.close()));
    const records = readFileSync(path.join(out, 'requests.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ModnnRecord);
    return { summary, records, logits: hub.logits };
  }

  it('equals the single-process teacher on the shipped images (max |logit diff| <= 1e-4, identical predictions), halos crossing the medium', async () => {
    const { summary, records, logits } = await cluster([0, 1], path.join(dir, 'run-all'), 5000);
    expect(records.map((r) => r.status)).toEqual(new Array(IMAGES).fill('ok'));
    let maxDiff = 0;
    for (let i = 0; i < IMAGES; i += 1) {
      const got = logits.get(i) as Float32Array;
      const want = reference.subarray(i * 100, (i + 1) * 100);
      for (let j = 0; j < 100; j += 1) maxDiff = Math.max(maxDiff, Math.abs(got[j] - want[j]));
      let best = 0;
      for (let j = 1; j < 100; j += 1) if (want[j] > want[best]) best = j;
      expect(records[i].predicted).toBe(best);
    }
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
    // The halos went device to device on the medium, and every planned message is on the wire once (payload + envelope).
    const planned = planTraffic((await readModnnBundleSet(path.join(dir, 'set'))).plan);
    expect(summary.traffic.byDirection.peer).toBeGreaterThanOrEqual(planned.byDirection.deviceToDevice.payloadBytes);
    expect(summary.traffic.byDirection.peer).toBeLessThan(planned.byDirection.deviceToDevice.payloadBytes + 100 * planned.byDirection.deviceToDevice.messages);
    expect(summary.traffic.devices['device-0'].peerTxBytes).toBeGreaterThan(0);
    expect(summary.traffic.devices['device-1'].peerRxBytes).toBe(summary.traffic.devices['device-0'].peerTxBytes);
    expect(summary.latencyMs.p50).toBeGreaterThanOrEqual(summary.boundMs * 0.99);
  });

  it('records a request whose band is missing as stalled at its deadline, naming the device the hub waits for', async () => {
    const { summary, records } = await cluster([0], path.join(dir, 'run-missing'), 400);
    expect(summary.requests.completed).toBe(0);
    expect(summary.requests.stalled).toBe(IMAGES);
    for (const r of records) {
      expect(r.status).toBe('stalled');
      expect(r.correct).toBe(false);
      expect(r.missingDevices).toEqual(['device-1']);
      expect((r.waitingFor ?? []).some((w) => w.from === 'device-1')).toBe(true);
    }
  });
});
