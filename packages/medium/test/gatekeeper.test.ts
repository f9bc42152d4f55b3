import { resolveLinkConfig } from '@wearnet/link';
import { decodeHandshake, decodeHubMessage, decodeTimedFrame, encodeHandshake, encodeMessage, encodeTimedFrame, type HubMessage } from '@wearnet/protocol';
import { startMedium, type MediumServer } from '../src/index';
import { answer, authenticate, connectAs, open, type TestClient } from './auth-client';

const SECRET = 'gatekeeper-test-secret-0123456789';

/** Collects every hub message (decoded) as it arrives. */
function recordHub(hub: TestClient): { messages: HubMessage[]; next(type: HubMessage['type']): Promise<HubMessage> } {
  const messages: HubMessage[] = [];
  const waiters: { type: HubMessage['type']; resolve: (m: HubMessage) => void }[] = [];
  const pump = (): void => {
    void hub.next().then((frame) => {
      const message = decodeHubMessage(frame);
      messages.push(message);
      const i = waiters.findIndex((w) => w.type === message.type);
      if (i >= 0) waiters.splice(i, 1)[0].resolve(message);
      pump();
    });
  };
  pump();
  return {
    messages,
    next: (type) =>
      new Promise((resolve) => {
        waiters.push({ type, resolve });
      }),
  };
}

/** Sends a downlink heartbeat to `deviceId` and waits for its report. */
async function ping(hub: TestClient, log: ReturnType<typeof recordHub>, deviceId: string, seq: number): Promise<HubMessage> {
  const report = log.next('downlink-report');
  const payload = encodeMessage({ v: 1, type: 'heartbeat', seq, reply: false });
  hub.ws.send(encodeMessage({ v: 1, type: 'downlink', deviceId, seq, readyAtMs: 0, payload }));
  return report;
}

describe('medium gatekeeper (per-connection authentication)', () => {
  let medium: MediumServer;
  const epochMs = performance.timeOrigin + performance.now();
  const link = resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0 } });

  beforeEach(async () => {
    medium = await startMedium({ link, seed: 7, secret: SECRET, runId: 'run-1', epochMs, authTimeoutMs: 400 });
  });
  afterEach(async () => {
    await medium.close();
  });

  it('sends a stranger that answers nothing only its challenge, then refuses it with E_AUTH_TIMEOUT; no link opens and no request reaches it', async () => {
    const hub = await connectAs(medium.url, { role: 'hub', id: 'hub', secret: SECRET });
    const log = recordHub(hub);
    const stranger = await open(`${medium.url}/device/device-0`);
    expect(stranger.challenge.runId).toBe('run-1');
    await ping(hub, log, 'device-0', 1);
    expect(decodeHandshake(await stranger.next())).toMatchObject({ type: 'refused', code: 'E_AUTH_TIMEOUT' });
    expect(await stranger.closed).toBe(4401);
    expect(stranger.frames).toEqual([]);
    expect(log.messages.filter((m) => m.type === 'link-open')).toEqual([]);
    expect(medium.links().find((l) => l.deviceId === 'device-0')?.connected ?? false).toBe(false);
    hub.ws.close();
  });

  it('drops everything a connection sends before it is accepted: a result sent with a wrong proof never reaches the hub', async () => {
    const hub = await connectAs(medium.url, { role: 'hub', id: 'hub', secret: SECRET });
    const log = recordHub(hub);
    const stranger = await open(`${medium.url}/device/device-1`);
    const forged = encodeTimedFrame({
      atMs: 0,
      payload: encodeMessage({
        v: 1,
        type: 'result',
        requestId: 0,
        vector: { encoding: 'float32', length: 1, bytes: new Uint8Array(4) },
        computeMs: 1,
        hostMs: 1,
      }),
    });
    stranger.ws.send(forged);
    stranger.ws.send(forged);
    expect(decodeHandshake(await stranger.next())).toMatchObject({ type: 'refused', code: 'E_AUTH_FAILED' });
    await stranger.closed;
    // A legitimate device afterwards: its traffic is the first the hub hears of device-1.
    const device = await connectAs(medium.url, { role: 'device', id: 'device-1', secret: SECRET });
    const uplink = log.next('uplink');
    device.ws.send(encodeTimedFrame({ atMs: 0, payload: encodeMessage({ v: 1, type: 'heartbeat', seq: 5, reply: false }) }));
    await uplink;
    expect(log.messages.filter((m) => m.type === 'uplink' || m.type === 'uplink-dropped')).toHaveLength(1);
    device.ws.close();
    hub.ws.close();
  });

  it('refuses a wrong secret with E_AUTH_FAILED sent to the stranger only; the live device keeps serving and hears nothing of it', async () => {
    const hub = await connectAs(medium.url, { role: 'hub', id: 'hub', secret: SECRET });
    const log = recordHub(hub);
    const live = await connectAs(medium.url, { role: 'device', id: 'device-2', secret: SECRET });
    const stranger = await open(`${medium.url}/device/device-2`);
    const verdict = await authenticate(stranger, answer(stranger.challenge, { role: 'device', id: 'device-2', secret: 'wrong-secret-of-enough-bytes' }));
    expect(verdict).toMatchObject({ type: 'refused', code: 'E_AUTH_FAILED' });
    expect(await stranger.closed).toBe(4401);
    expect(await ping(hub, log, 'device-2', 7)).toMatchObject({ delivered: true });
    // The first frame the live device got since its acceptance is that heartbeat: no refusal, no close.
    expect(decodeTimedFrame(await live.next()).payload.length).toBeGreaterThan(0);
    expect(live.frames).toEqual([]);
    expect(log.messages.filter((m) => m.type === 'link-close')).toEqual([]);
    expect(medium.report().refused).toBe(1);
    live.ws.close();
    hub.ws.close();
  });

  it('refuses a replayed handshake: an answer captured on one connection does not fit the next one', async () => {
    const first = await open(`${medium.url}/device/device-3`);
    const captured = answer(first.challenge, { role: 'device', id: 'device-3', secret: SECRET });
    expect(await authenticate(first, captured)).toMatchObject({ type: 'accepted', id: 'device-3' });
    first.ws.close();
    await first.closed;
    const replay = await open(`${medium.url}/device/device-3`);
    expect(Buffer.from(replay.challenge.nonce).equals(Buffer.from(first.challenge.nonce))).toBe(false);
    expect(await authenticate(replay, captured)).toMatchObject({ type: 'refused', code: 'E_AUTH_FAILED' });
    // Nor may a proof for one id be used on another id's path.
    const other = await open(`${medium.url}/device/device-4`);
    const forOther = { ...answer(other.challenge, { role: 'device', id: 'device-3', secret: SECRET }) };
    expect(await authenticate(other, forOther)).toMatchObject({ type: 'refused', code: 'E_AUTH_FAILED' });
  });

  it('refuses a second authenticated connection for a live id with E_DUPLICATE_DEVICE and leaves the live one untouched', async () => {
    const hub = await connectAs(medium.url, { role: 'hub', id: 'hub', secret: SECRET });
    const log = recordHub(hub);
    const opened = log.next('link-open');
    const live = await connectAs(medium.url, { role: 'device', id: 'device-5', secret: SECRET });
    await opened;
    const second = await open(`${medium.url}/device/device-5`);
    expect(await authenticate(second, answer(second.challenge, { role: 'device', id: 'device-5', secret: SECRET }))).toMatchObject({
      type: 'refused',
      code: 'E_DUPLICATE_DEVICE',
    });
    await second.closed;
    expect(await ping(hub, log, 'device-5', 3)).toMatchObject({ delivered: true });
    expect(decodeTimedFrame(await live.next()).payload.length).toBeGreaterThan(0);
    const uplink = log.next('uplink');
    live.ws.send(encodeTimedFrame({ atMs: 0, payload: encodeMessage({ v: 1, type: 'heartbeat', seq: 9, reply: false }) }));
    expect(await uplink).toMatchObject({ deviceId: 'device-5' });
    expect(log.messages.filter((m) => m.type === 'link-open')).toHaveLength(1);
    expect(log.messages.filter((m) => m.type === 'link-close')).toEqual([]);
    live.ws.close();
    hub.ws.close();
  });

  it('refuses a second hub with E_HUB_TAKEN while one is connected', async () => {
    const hub = await connectAs(medium.url, { role: 'hub', id: 'hub', secret: SECRET });
    await expect(open(`${medium.url}/hub`)).rejects.toThrow('HTTP 409');
    hub.ws.close();
  });

  it('refuses a proof made for another run id', async () => {
    const client = await open(`${medium.url}/device/device-6`);
    const otherRun = answer({ ...client.challenge, runId: 'run-2' }, { role: 'device', id: 'device-6', secret: SECRET });
    expect(await authenticate(client, otherRun)).toMatchObject({ type: 'refused', code: 'E_AUTH_FAILED' });
  });

  it('refuses garbage instead of an answer with E_AUTH_FAILED and keeps serving', async () => {
    const client = await open(`${medium.url}/device/device-7`);
    client.ws.send(new Uint8Array(5000).fill(0xc1));
    expect(decodeHandshake(await client.next())).toMatchObject({ type: 'refused', code: 'E_AUTH_FAILED' });
    const again = await open(`${medium.url}/device/device-7`);
    client.ws.send(encodeHandshake({ v: 1, type: 'accepted', id: 'device-7' }));
    expect(await authenticate(again, answer(again.challenge, { role: 'device', id: 'device-7', secret: SECRET }))).toMatchObject({ type: 'accepted' });
    again.ws.close();
  });

  it('refuses more connections waiting to authenticate than maxPendingConnections with HTTP 503 E_TOO_MANY_PENDING', async () => {
    const small = await startMedium({ link, seed: 7, secret: SECRET, epochMs, maxPendingConnections: 1 });
    try {
      const waiting = await open(`${small.url}/device/device-0`);
      await expect(open(`${small.url}/device/device-1`)).rejects.toThrow('HTTP 503');
      expect(small.report().refused).toBe(1);
      waiting.ws.close();
    } finally {
      await small.close();
    }
  });
});
