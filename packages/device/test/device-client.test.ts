import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deviceDir, readDeviceManifest, writeRandomBundleSet } from '@wearnet/bundle';
import { computeTimeMs, resolveDeviceClass } from '@wearnet/hardware';
import { hostNowMs, resolveLinkConfig } from '@wearnet/link';
import { startMedium, type MediumServer } from '@wearnet/medium';
import {
  decodeHandshake,
  decodeHubMessage,
  decodeMessage,
  encodeHandshake,
  encodeMessage,
  handshakeProof,
  type HubMessage,
  type Message,
} from '@wearnet/protocol';
import { initRuntime } from '@wearnet/runtime';
import { WebSocket } from 'ws';
import { startDevice } from '../src/index';

const SECRET = 'device-test-secret-0123456';
const link = resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0 } });
const deviceClass = resolveDeviceClass({ name: 'cortex-m4-80' });

/** A minimal hub: welcomes every hello, records what devices send. */
async function fakeHub(medium: MediumServer, epochMs: number, ignoreHellos = 0): Promise<{ ws: WebSocket; received: Message[]; stats: HubMessage[] }> {
  const ws = new WebSocket(`${medium.url}/hub`);
  const received: Message[] = [];
  const stats: HubMessage[] = [];
  let seq = 0;
  let accepted!: () => void;
  const open = new Promise<void>((resolve) => (accepted = resolve));
  let handshaking = true;
  ws.on('message', (data: Buffer) => {
    if (handshaking) {
      const message = decodeHandshake(new Uint8Array(data));
      if (message.type === 'challenge') {
        const proof = handshakeProof({ secret: Buffer.from(SECRET), role: 'hub', id: 'hub', runId: message.runId, nonce: message.nonce });
        ws.send(encodeHandshake({ v: 1, type: 'auth', role: 'hub', id: 'hub', proof }));
      } else {
        handshaking = false;
        accepted();
      }
      return;
    }
    const hub = decodeHubMessage(new Uint8Array(data));
    stats.push(hub);
    if (hub.type !== 'uplink') return;
    const message = decodeMessage(hub.payload);
    received.push(message);
    if (message.type === 'hello') {
      if (received.filter((m) => m.type === 'hello').length <= ignoreHellos) return;
      const welcome = encodeMessage({ v: 1, type: 'welcome', deviceId: message.deviceId, heartbeatMs: 60000, encoding: 'float32' });
      ws.send(encodeMessage({ v: 1, type: 'downlink', deviceId: message.deviceId, seq: (seq += 1), readyAtMs: hub.atMs, payload: welcome }));
    }
  });
  void epochMs;
  await open;
  return { ws, received, stats };
}

async function until(predicate: () => boolean, timeoutMs = 10000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('device process logic', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-device-'));
    await writeRandomBundleSet({ dir, devices: 1, parts: 1, fusedWidth: 8, studentWidths: [4, 4, 4], seed: 2 });
    await initRuntime();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers a request with its vector stamped at arrival plus the device class compute time', async () => {
    const epochMs = hostNowMs();
    const medium = await startMedium({ link, seed: 1, secret: SECRET, epochMs });
    const hub = await fakeHub(medium, epochMs);
    const device = await startDevice({ deviceId: 'device-0', bundleDir: deviceDir(dir, 0), mediumUrl: medium.url, secret: SECRET, deviceClass, epochMs });
    try {
      await device.ready;
      const image = new Uint8Array(3072).fill(7);
      hub.ws.send(
        encodeMessage({
          v: 1,
          type: 'downlink',
          deviceId: 'device-0',
          seq: 100,
          readyAtMs: hostNowMs() - epochMs,
          payload: encodeMessage({ v: 1, type: 'infer', requestId: 5, sample: 0, image }),
        }),
      );
      await until(() => hub.received.some((m) => m.type === 'result'));
      const result = hub.received.find((m) => m.type === 'result') as Extract<Message, { type: 'result' }>;
      expect(result.requestId).toBe(5);
      expect(result.vector.length).toBe(8);
      const report = hub.stats.find((m) => m.type === 'downlink-report' && m.seq === 100) as Extract<HubMessage, { type: 'downlink-report' }>;
      const uplink = hub.stats.filter((m) => m.type === 'uplink').pop() as Extract<HubMessage, { type: 'uplink' }>;
      const { macs } = await readDeviceManifest(deviceDir(dir, 0));
      expect(result.computeMs).toBeCloseTo(computeTimeMs(deviceClass, macs), 9);
      expect(uplink.stats.readyAtMs).toBeCloseTo(report.atMs + result.computeMs, 6);
    } finally {
      await device.close();
      hub.ws.close();
      await medium.close();
    }
  });

  it('reconnects with backoff and says hello again when the medium goes away and comes back', async () => {
    const epochMs = hostNowMs();
    const first = await startMedium({ link, seed: 1, secret: SECRET, epochMs });
    const port = first.port;
    const hub1 = await fakeHub(first, epochMs);
    const device = await startDevice({
      deviceId: 'device-0',
      bundleDir: deviceDir(dir, 0),
      mediumUrl: first.url,
      secret: SECRET,
      deviceClass,
      epochMs,
      backoff: { initialMs: 50 },
    });
    let second: MediumServer | undefined;
    let hub2: Awaited<ReturnType<typeof fakeHub>> | undefined;
    try {
      await device.ready;
      hub1.ws.close();
      await first.close();
      second = await startMedium({ link, seed: 1, secret: SECRET, epochMs, port });
      hub2 = await fakeHub(second, epochMs);
      const hello = hub2.received;
      await until(() => hello.some((m) => m.type === 'hello'));
      expect(device.stats().connects).toBeGreaterThanOrEqual(2);
    } finally {
      await device.close();
      hub2?.ws.close();
      await second?.close();
    }
  });

  it('stays off the medium in standby until connect, and stamps results later under a compute factor', async () => {
    const epochMs = hostNowMs();
    const medium = await startMedium({ link, seed: 1, secret: SECRET, epochMs });
    const hub = await fakeHub(medium, epochMs);
    const device = await startDevice({
      deviceId: 'device-0',
      bundleDir: deviceDir(dir, 0),
      mediumUrl: medium.url,
      secret: SECRET,
      deviceClass,
      epochMs,
      autoConnect: false,
    });
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(medium.links()).toEqual([]);
      expect(device.stats().connects).toBe(0);
      device.connect();
      await device.ready;
      expect(() => device.setComputeFactor(0.5)).toThrow(RangeError);
      device.setComputeFactor(4);
      hub.ws.send(
        encodeMessage({
          v: 1,
          type: 'downlink',
          deviceId: 'device-0',
          seq: 200,
          readyAtMs: hostNowMs() - epochMs,
          payload: encodeMessage({ v: 1, type: 'infer', requestId: 6, sample: 0, image: new Uint8Array(3072) }),
        }),
      );
      await until(() => hub.received.some((m) => m.type === 'result'));
      const result = hub.received.find((m) => m.type === 'result') as Extract<Message, { type: 'result' }>;
      const { macs } = await readDeviceManifest(deviceDir(dir, 0));
      expect(result.computeMs).toBeCloseTo(4 * computeTimeMs(deviceClass, macs), 9);
    } finally {
      await device.close();
      hub.ws.close();
      await medium.close();
    }
  });

  it('says hello again, with backoff, until a welcome comes back (a hello or welcome lost on the body)', async () => {
    const epochMs = hostNowMs();
    const medium = await startMedium({ link, seed: 1, secret: SECRET, epochMs });
    const hub = await fakeHub(medium, epochMs, 2);
    const device = await startDevice({
      deviceId: 'device-0',
      bundleDir: deviceDir(dir, 0),
      mediumUrl: medium.url,
      secret: SECRET,
      deviceClass,
      epochMs,
      backoff: { initialMs: 20 },
    });
    try {
      await device.ready;
      expect(hub.received.filter((m) => m.type === 'hello')).toHaveLength(3);
      expect(device.stats().connects).toBe(1);
      await new Promise((r) => setTimeout(r, 600));
      expect(hub.received.filter((m) => m.type === 'hello')).toHaveLength(3);
    } finally {
      await device.close();
      hub.ws.close();
      await medium.close();
    }
  });

  it('stops with E_AUTH_FAILED when the medium refuses its proof (a wrong secret), and sends no hello', async () => {
    const epochMs = hostNowMs();
    const medium = await startMedium({ link, seed: 1, secret: SECRET, epochMs });
    const hub = await fakeHub(medium, epochMs);
    const device = await startDevice({
      deviceId: 'device-0',
      bundleDir: deviceDir(dir, 0),
      mediumUrl: medium.url,
      secret: 'not-the-cluster-secret',
      deviceClass,
      epochMs,
    });
    try {
      await expect(device.stopped).rejects.toMatchObject({ code: 'E_AUTH_FAILED' });
      expect(hub.received).toEqual([]);
      expect(medium.links()).toEqual([]);
    } finally {
      hub.ws.close();
      await medium.close();
    }
  });

  it('keeps retrying with backoff while its id is live on another connection (E_DUPLICATE_DEVICE), and comes in once it is free', async () => {
    const epochMs = hostNowMs();
    const medium = await startMedium({ link, seed: 1, secret: SECRET, epochMs });
    const hub = await fakeHub(medium, epochMs);
    // The first device's hello is not repeated within the test (a repeat, sent when the welcome is
    // slow on a loaded host, would be a second hello from the live connection, not from the refused one).
    const first = await startDevice({
      deviceId: 'device-0',
      bundleDir: deviceDir(dir, 0),
      mediumUrl: medium.url,
      secret: SECRET,
      deviceClass,
      epochMs,
      backoff: { initialMs: 30000, maxMs: 30000 },
    });
    await first.ready;
    const second = await startDevice({
      deviceId: 'device-0',
      bundleDir: deviceDir(dir, 0),
      mediumUrl: medium.url,
      secret: SECRET,
      deviceClass,
      epochMs,
      backoff: { initialMs: 20, maxMs: 100 },
    });
    try {
      await until(() => second.stats().connects >= 2);
      expect(hub.received.filter((m) => m.type === 'hello')).toHaveLength(1);
      expect(medium.report().refused).toBeGreaterThanOrEqual(1);
      await first.close();
      await second.ready;
      expect(hub.received.filter((m) => m.type === 'hello').length).toBeGreaterThanOrEqual(2);
    } finally {
      await second.close();
      hub.ws.close();
      await medium.close();
    }
  });
});
