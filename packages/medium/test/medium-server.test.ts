import { resolveLinkConfig } from '@wearnet/link';
import { controlCredential, decodeHubMessage, decodeTimedFrame, encodeMessage, encodeTimedFrame, type HubMessage } from '@wearnet/protocol';
import { startMedium, type MediumServer } from '../src/index';
import { answer, authenticate, connectAs, open, type TestClient } from './auth-client';

const SECRET = 'medium-test-secret-0123456789';
const CONTROL = controlCredential(Buffer.from(SECRET), 'wearnet');
const hubAt = (url: string): Promise<TestClient> => connectAs(url, { role: 'hub', id: 'hub', secret: SECRET });
const deviceAt = (url: string, id: string): Promise<TestClient> => connectAs(url, { role: 'device', id, secret: SECRET });

async function nextHub(client: TestClient, type: HubMessage['type']): Promise<HubMessage> {
  for (;;) {
    const message = decodeHubMessage(await client.next());
    if (message.type === type) return message;
  }
}

describe('medium server', () => {
  let medium: MediumServer;
  const epochMs = performance.timeOrigin + performance.now();
  const link = resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0 } });

  beforeEach(async () => {
    medium = await startMedium({ link, seed: 7, secret: SECRET, epochMs });
  });
  afterEach(async () => {
    await medium.close();
  });

  it('relays a device message to the hub at its modelled delivery time with link-layer stats', async () => {
    const hub = await hubAt(medium.url);
    const opened = nextHub(hub, 'link-open');
    const device = await deviceAt(medium.url, 'device-0');
    expect(await opened).toMatchObject({ deviceId: 'device-0' });
    const uplink = nextHub(hub, 'uplink');
    const readyAtMs = performance.timeOrigin + performance.now() - epochMs;
    const payload = encodeMessage({ v: 1, type: 'heartbeat', seq: 1, reply: false });
    device.ws.send(encodeTimedFrame({ atMs: readyAtMs, payload }));
    const message = (await uplink) as Extract<HubMessage, { type: 'uplink' }>;
    expect(Array.from(message.payload)).toEqual(Array.from(payload));
    expect(message.stats.frames).toBe(1);
    expect(message.stats.payloadBytes).toBe(payload.length);
    expect(message.atMs).toBeGreaterThanOrEqual(readyAtMs);
    expect(performance.timeOrigin + performance.now() - epochMs).toBeGreaterThanOrEqual(message.atMs - 1);
    hub.ws.close();
    device.ws.close();
  });

  it('delivers an uplink later by the latency of a stage added over HTTP, measured on the modelled clock, and keeps its toxicity', async () => {
    const hub = await hubAt(medium.url);
    const device = await deviceAt(medium.url, 'device-2');
    const payload = encodeMessage({ v: 1, type: 'heartbeat', seq: 1, reply: false });
    /** Modelled time from ready to delivery at the hub of one heartbeat on an idle medium. */
    const crossing = async (): Promise<number> => {
      const uplink = nextHub(hub, 'uplink');
      const readyAtMs = performance.timeOrigin + performance.now() - epochMs;
      device.ws.send(encodeTimedFrame({ atMs: readyAtMs, payload }));
      return (await uplink).atMs - readyAtMs;
    };
    const plain = await crossing();
    const headers = { authorization: `Bearer ${CONTROL}`, 'content-type': 'application/json' };
    const add = (body: unknown) => fetch(`http://127.0.0.1:${medium.port}/links/device-2/stages`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect((await add({ name: 'lag', type: 'latency', direction: 'uplink', attributes: { latencyMs: 25 } })).status).toBe(201);
    const delayed = await crossing();
    expect(Math.abs(delayed - plain - 25)).toBeLessThan(1e-6);
    expect(await (await add({ name: 'rare', type: 'down', direction: 'downlink', toxicity: 0.5, group: 'g' })).json()).toEqual({
      name: 'rare',
      type: 'down',
      direction: 'downlink',
      attributes: {},
      toxicity: 0.5,
      group: 'g',
    });
    hub.ws.close();
    device.ws.close();
  });

  it('delivers a downlink to the device as a timed frame and reports it to the hub', async () => {
    const hub = await hubAt(medium.url);
    const device = await deviceAt(medium.url, 'device-1');
    const frame = device.next();
    const report = nextHub(hub, 'downlink-report');
    const payload = encodeMessage({ v: 1, type: 'infer', requestId: 3, sample: 4, image: new Uint8Array(3072) });
    hub.ws.send(encodeMessage({ v: 1, type: 'downlink', deviceId: 'device-1', seq: 9, readyAtMs: 0, payload }));
    const received = decodeTimedFrame(await frame);
    expect(received.payload.length).toBe(payload.length);
    expect(await report).toMatchObject({ seq: 9, delivered: true, stats: { frames: 13 } });
    hub.ws.close();
    device.ws.close();
  });

  it('routes a peer-addressed frame to the receiving device as one transmission on the sender link, and reports it to the hub', async () => {
    const hub = await hubAt(medium.url);
    const sender = await deviceAt(medium.url, 'device-4');
    const receiver = await deviceAt(medium.url, 'device-5');
    const frame = receiver.next();
    const report = nextHub(hub, 'peer-report');
    const payload = encodeMessage({ v: 1, type: 'band', requestId: 1, messageId: 2, data: new Uint8Array(4096) });
    sender.ws.send(encodeTimedFrame({ atMs: 0, payload, to: 'device-5' }));
    const received = decodeTimedFrame(await frame);
    expect(Array.from(received.payload)).toEqual(Array.from(payload));
    const peer = (await report) as Extract<HubMessage, { type: 'peer-report' }>;
    expect(peer).toMatchObject({
      deviceId: 'device-4',
      to: 'device-5',
      delivered: true,
      stats: { payloadBytes: payload.length, frames: Math.ceil(payload.length / 246) },
    });
    expect(received.atMs).toBe(peer.atMs);
    const counters = (id: string) => medium.links().find((l) => l.deviceId === id)?.counters;
    expect(counters('device-4')?.uplink.payloadBytes).toBe(payload.length);
    expect(counters('device-5')?.downlink.payloadBytes ?? 0).toBe(0);
    const lost = nextHub(hub, 'peer-report');
    sender.ws.send(encodeTimedFrame({ atMs: 0, payload, to: 'device-9' }));
    expect(await lost).toMatchObject({ to: 'device-9', delivered: false });
    for (const c of [hub, sender, receiver]) c.ws.close();
  });

  it('drops downlinks on a link that is down and reports the drop', async () => {
    const hub = await hubAt(medium.url);
    const device = await deviceAt(medium.url, 'device-2');
    medium.addStage('device-2', { type: 'down' });
    expect(medium.links().find((l) => l.deviceId === 'device-2')?.state).toBe('down');
    const report = nextHub(hub, 'downlink-report');
    hub.ws.send(encodeMessage({ v: 1, type: 'downlink', deviceId: 'device-2', seq: 1, readyAtMs: 0, payload: new Uint8Array(10) }));
    expect(await report).toMatchObject({ delivered: false, stats: { attempts: link.maxRetries + 1, lostFrames: link.maxRetries + 1 } });
    hub.ws.close();
    device.ws.close();
  });

  it('marks the link of a disconnected device down and tells the hub', async () => {
    const hub = await hubAt(medium.url);
    const device = await deviceAt(medium.url, 'device-3');
    const closed = nextHub(hub, 'link-close');
    device.ws.close();
    expect(await closed).toMatchObject({ deviceId: 'device-3' });
    expect(medium.links().find((l) => l.deviceId === 'device-3')).toMatchObject({ connected: false, state: 'down' });
    hub.ws.close();
  });

  it('refuses a device frame larger than a device message, between the device and the hub frame limits, and keeps relaying', async () => {
    const hub = await hubAt(medium.url);
    const device = await deviceAt(medium.url, 'device-4');
    device.ws.send(encodeTimedFrame({ atMs: 0, payload: new Uint8Array(1024 * 1024 + 100) }));
    const uplink = nextHub(hub, 'uplink');
    device.ws.send(encodeTimedFrame({ atMs: 0, payload: encodeMessage({ v: 1, type: 'heartbeat', seq: 2, reply: false }) }));
    expect(await uplink).toMatchObject({ deviceId: 'device-4' });
    expect(medium.report().refused).toBe(1);
    hub.ws.close();
    device.ws.close();
  });

  it('refuses a hub that does not prove the secret with E_AUTH_FAILED', async () => {
    const stranger = await open(`${medium.url}/hub`);
    const verdict = await authenticate(stranger, answer(stranger.challenge, { role: 'hub', id: 'hub', secret: 'not-the-secret-at-all' }));
    expect(verdict).toMatchObject({ type: 'refused', code: 'E_AUTH_FAILED' });
    expect(await stranger.closed).toBe(4401);
  });

  it('serves Prometheus metrics and link states over HTTP', async () => {
    const port = medium.port;
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('wearnet_medium_messages_total');
    const links = (await (await fetch(`http://127.0.0.1:${port}/links`)).json()) as { links: unknown[] };
    expect(Array.isArray(links.links)).toBe(true);
  });

  it('adds and removes link and medium-wide stages over HTTP with the control credential, and refuses callers without it', async () => {
    const base = `http://127.0.0.1:${medium.port}`;
    const auth = { authorization: `Bearer ${CONTROL}`, 'content-type': 'application/json' };
    const post = (path: string, body: unknown, headers: Record<string, string> = auth): Promise<Response> =>
      fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const refused = await post('/links/device-4/stages', { type: 'down' }, { 'content-type': 'application/json' });
    expect(refused.status).toBe(401);
    const withSecret = await post('/links/device-4/stages', { type: 'down' }, { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' });
    expect(withSecret.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'E_CONTROL_UNAUTHORIZED' });

    const added = await post('/links/device-4/stages', { name: 'cut', type: 'down', direction: 'uplink' });
    expect(added.status).toBe(201);
    expect(await added.json()).toEqual({ name: 'cut', type: 'down', direction: 'uplink', attributes: {} });
    expect((await post('/stages', { name: 'noise', type: 'loss', attributes: { probability: 0.1 } })).status).toBe(201);
    const links = (await (await fetch(`${base}/links`)).json()) as {
      links: { deviceId: string; state: string; stages: { name: string }[] }[];
      mediumStages: { name: string }[];
    };
    expect(links.links.find((l) => l.deviceId === 'device-4')).toMatchObject({ state: 'degraded', stages: [{ name: 'cut' }] });
    expect(links.mediumStages.map((s) => s.name)).toEqual(['noise']);

    const bad = await post('/links/device-4/stages', { type: 'loss', attributes: { probability: 3 } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'E_INVALID_STAGE' });
    expect(await (await post('/stages', { type: 'teleport' })).json()).toMatchObject({ code: 'E_UNKNOWN_STAGE' });

    expect((await fetch(`${base}/links/device-4/stages/cut`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect((await fetch(`${base}/stages/noise`, { method: 'DELETE', headers: auth })).status).toBe(204);
    const missing = await fetch(`${base}/stages/noise`, { method: 'DELETE', headers: auth });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'E_STAGE_NOT_FOUND' });
    expect(medium.mediumStages()).toEqual([]);
    expect(medium.links().find((l) => l.deviceId === 'device-4')?.state).toBe('up');
  });
});
