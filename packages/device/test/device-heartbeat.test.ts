import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deviceDir, writeRandomBundleSet } from '@wearnet/bundle';
import { resolveDeviceClass } from '@wearnet/hardware';
import { hostNowMs, resolveLinkConfig } from '@wearnet/link';
import { startMedium } from '@wearnet/medium';
import { decodeHandshake, decodeHubMessage, decodeMessage, encodeHandshake, encodeMessage, handshakeProof, type Message } from '@wearnet/protocol';
import { initRuntime } from '@wearnet/runtime';
import { WebSocket } from 'ws';
import { startDevice } from '../src/index';

const SECRET = 'device-heartbeat-secret-0123';
const link = resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0 } });

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

describe('device heartbeats', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-heartbeat-'));
    await writeRandomBundleSet({ dir, devices: 1, parts: 1, fusedWidth: 8, studentWidths: [4, 4, 4], seed: 2 });
    await initRuntime();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sends no heartbeat while the hub keeps talking to it, and beats once the link is idle', async () => {
    const epochMs = hostNowMs();
    const medium = await startMedium({ link, seed: 1, secret: SECRET, epochMs });
    const ws = new WebSocket(`${medium.url}/hub`);
    let handshaking = true;
    await new Promise<void>((resolve) => {
      const onHandshake = (data: Buffer): void => {
        const message = decodeHandshake(new Uint8Array(data));
        if (message.type === 'challenge') {
          const proof = handshakeProof({ secret: Buffer.from(SECRET), role: 'hub', id: 'hub', runId: message.runId, nonce: message.nonce });
          ws.send(encodeHandshake({ v: 1, type: 'auth', role: 'hub', id: 'hub', proof }));
          return;
        }
        handshaking = false;
        ws.off('message', onHandshake);
        resolve();
      };
      ws.on('message', onHandshake);
    });
    const received: Message[] = [];
    let seq = 0;
    const downlink = (payload: Message) =>
      ws.send(
        encodeMessage({ v: 1, type: 'downlink', deviceId: 'device-0', seq: (seq += 1), readyAtMs: hostNowMs() - epochMs, payload: encodeMessage(payload) }),
      );
    ws.on('message', (data: Buffer) => {
      if (handshaking) return;
      const hub = decodeHubMessage(new Uint8Array(data));
      if (hub.type !== 'uplink') return;
      const message = decodeMessage(hub.payload);
      received.push(message);
      if (message.type === 'hello') downlink({ v: 1, type: 'welcome', deviceId: 'device-0', heartbeatMs: 600, encoding: 'float32' });
    });
    const device = await startDevice({
      deviceId: 'device-0',
      bundleDir: deviceDir(dir, 0),
      mediumUrl: medium.url,
      secret: SECRET,
      deviceClass: resolveDeviceClass({ name: 'cortex-m4-80' }),
      epochMs,
    });
    try {
      await device.ready;
      // Busy link: something from the hub every 50 ms (well inside the 600 ms interval, even with the medium's 200 ms wait for unanswered deliveries).
      const busy = setInterval(() => downlink({ v: 1, type: 'heartbeat', seq: 0, reply: true }), 50);
      await sleep(2000);
      clearInterval(busy);
      const beatsWhileBusy = received.filter((m) => m.type === 'heartbeat').length;
      await sleep(2500);
      const beatsWhenIdle = received.filter((m) => m.type === 'heartbeat').length - beatsWhileBusy;
      expect(beatsWhileBusy).toBe(0);
      expect(beatsWhenIdle).toBeGreaterThanOrEqual(2);
    } finally {
      await device.close();
      ws.close();
      await medium.close();
    }
  });
});
