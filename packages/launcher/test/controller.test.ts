import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseFaults } from '@wearnet/faults';
import { faultInput, parseControllerConfig } from '../src/controller';
import { readStatus, RemoteCluster } from '../src/remote-cluster';

const base = {
  role: 'controller',
  mediumUrl: 'http://medium:7400',
  aggregatorUrl: 'http://aggregator:9464',
  devices: [
    { id: 'device-0', index: 0 },
    { id: 'device-1', index: 1 },
  ],
  seed: 1,
  epochMs: 0,
  timeScale: 1,
};

describe('parseControllerConfig', () => {
  it('accepts link and medium faults timed in modelled ms, in the shape faultInput writes', () => {
    const input = [
      { id: 'a', kind: 'link-down', target: 'device-0', atMs: 10, durationMs: 20 },
      { id: 'b', kind: 'degrade', target: ['device-1'], loss: 0.5, atMs: 0 },
      { id: 'c', kind: 'noise', rateFactor: 0.5, atMs: 5, durationMs: 10 },
    ];
    const specs = parseFaults(input, { devices: ['device-0', 'device-1'] });
    const config = parseControllerConfig({ ...base, faults: specs.map(faultInput) });
    expect(config.specs).toEqual(specs);
  });

  it('refuses a device fault and a request-count start with E_COMPOSE_UNSUPPORTED naming the fault', () => {
    expect(() => parseControllerConfig({ ...base, faults: [{ id: 'x', kind: 'pause', target: 'device-0' }] })).toThrow(
      expect.objectContaining({ code: 'E_COMPOSE_UNSUPPORTED', message: expect.stringMatching(/^x: kind pause/) }),
    );
    expect(() => parseControllerConfig({ ...base, faults: [{ id: 'y', kind: 'link-down', target: 'device-0', afterRequests: 3 }] })).toThrow(
      expect.objectContaining({ code: 'E_COMPOSE_UNSUPPORTED', message: expect.stringMatching(/^y: afterRequests/) }),
    );
  });

  it('refuses a config without URLs or with a bad port with E_BAD_REQUEST naming the field', () => {
    expect(() => parseControllerConfig({ ...base, mediumUrl: 'medium:7400', faults: [] })).toThrow(/mediumUrl must be an http\(s\) URL/);
    expect(() => parseControllerConfig({ ...base, port: 70000, faults: [] })).toThrow(expect.objectContaining({ code: 'E_BAD_REQUEST' }));
  });
});

describe('RemoteCluster', () => {
  it('reads the aggregator status from unknown and refuses a non-number field', () => {
    const status = { finished: false, workloadStartMs: null, done: 1, total: 4, issued: 2, allowed: 4, correct: 1, deadlineMisses: 0, p50LatencyMs: null };
    expect(
      readStatus({
        ...status,
        devices: [
          { deviceId: 'device-0', authenticated: true },
          { deviceId: 'device-1', authenticated: false },
        ],
      }),
    ).toMatchObject({
      authenticated: ['device-0'],
      workloadStartMs: null,
    });
    expect(() => readStatus({ ...status, done: 'one' })).toThrow(/done is not a finite number/);
  });

  it('keeps polling an aggregator that is not up yet, learns the start of the workload, and counts an aggregator gone after it as finished', async () => {
    let answers: 'refuse' | 'started' = 'refuse';
    const server: Server = createServer((req, res) => {
      if (answers === 'refuse') {
        res.statusCode = 503;
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      const p = { done: 0, total: 4, issued: 1, allowed: 4, correct: 0, deadlineMisses: 0, p50LatencyMs: null };
      res.end(JSON.stringify({ finished: false, workloadStartMs: 1234, ...p, devices: [{ deviceId: 'device-0', authenticated: true }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const remote = new RemoteCluster({ aggregatorUrl: url, mediumUrl: url, credential: 'c', epochMs: 0, timeScale: 1, deviceIds: ['device-0'], pollMs: 5 });
    try {
      expect(() => remote.kill('device-0')).toThrow(expect.objectContaining({ code: 'E_COMPOSE_UNSUPPORTED' }));
      const started = new Promise<void>((resolve) => remote.once('started', resolve));
      answers = 'started';
      await started;
      expect(remote.workloadStartMs).toBe(1234);
      expect([...remote.authenticated]).toEqual(['device-0']);
      const finished = new Promise<void>((resolve) => remote.once('finished', resolve));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await finished;
      expect(remote.finished).toBe(true);
    } finally {
      remote.close();
      server.close();
    }
  });
});
