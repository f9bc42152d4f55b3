import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startControlServer, type ControlServer, type ControlTarget } from '@wearnet/launcher';
import type { FaultView } from '@wearnet/roles';
import { ControlClient, ControlError, connectToRun } from '../src/index';

/** A control target that records what it was asked, with the launcher's own HTTP server in front. */
function fakeTarget(): ControlTarget & { calls: string[] } {
  const calls: string[] = [];
  const faults: FaultView[] = [];
  const device = {
    id: 'device-0',
    index: 0,
    state: 'running' as const,
    pid: 42,
    authenticated: true,
    computeFactor: 1,
    spare: 'none' as const,
    incarnations: 1,
  };
  return {
    calls,
    status: () => ({
      runId: 'r',
      outDir: '/tmp/r',
      nowMs: 1,
      workloadStartMs: 0,
      gated: true,
      finished: false,
      workload: { total: 9, issued: 0, allowed: 0, done: 0, correct: 0, accuracy: 0, deadlineMisses: 0, p50LatencyMs: null },
      devices: [device],
      faults,
    }),
    devices: () => [device],
    links: async () => ({ nowMs: 1, links: [], mediumStages: [] }),
    listFaults: () => faults,
    getFault: (id) => faults.find((f) => f.id === id),
    addFault: async (input) => {
      const spec = input as { kind: string; target: string; id?: string };
      if (spec.kind === 'meteor') throw Object.assign(new Error('kind: must be one of crash, ...'), { code: 'E_FAULT_INVALID' });
      calls.push(`add ${spec.kind} ${spec.target}`);
      const view: FaultView = { id: spec.id ?? `${spec.kind}-0`, kind: 'crash', targets: [spec.target], state: 'active', spec: {} as never, appliedAtMs: 5 };
      faults.push(view);
      return view;
    },
    updateFault: async (id, patch) => {
      const view = faults.find((f) => f.id === id);
      if (!view) throw Object.assign(new Error(`no fault "${id}"`), { code: 'E_FAULT_NOT_FOUND' });
      calls.push(`update ${id} ${JSON.stringify(patch)}`);
      return view;
    },
    addStage: async (link, spec) => {
      if (spec.type === 'meteor') throw Object.assign(new Error('medium refused: E_UNKNOWN_STAGE'), { code: 'E_MEDIUM_REFUSED' });
      calls.push(`+stage ${link ?? '*'} ${spec.type} ${spec.toxicity ?? 1}`);
      return { name: spec.name ?? spec.type, type: spec.type, direction: spec.direction ?? 'both', attributes: {} };
    },
    removeStage: async (link, name) => {
      calls.push(`-stage ${link ?? '*'} ${name}`);
      return name !== 'nope';
    },
    removeFault: async (id) => {
      const view = faults.find((f) => f.id === id);
      if (!view) throw Object.assign(new Error(`no fault "${id}"`), { code: 'E_FAULT_NOT_FOUND' });
      calls.push(`remove ${id}`);
      return { ...view, state: 'cleared' };
    },
    reset: async () => {
      calls.push('reset');
      return faults.length;
    },
    runRequests: async (n) => {
      calls.push(`run ${n}`);
      return Array.from({ length: n }, (_, id) => ({
        id,
        sample: id,
        label: 1,
        prediction: 1,
        correct: true,
        startMs: 0,
        latencyMs: 1,
        deadlineMissed: false,
        arrived: ['device-0'],
        devices: {},
        bytesDown: 1,
        bytesUp: 1,
        retries: 0,
        lostFrames: 0,
        hostMs: 1,
      }));
    },
    stop: () => {
      calls.push('stop');
    },
  };
}

describe('ControlClient against the launcher control server', () => {
  let server: ControlServer;
  let target: ReturnType<typeof fakeTarget>;
  let client: ControlClient;

  beforeEach(async () => {
    target = fakeTarget();
    server = await startControlServer(target);
    client = new ControlClient({ url: server.url });
  });
  afterEach(() => server.close());

  it('lists devices and links and reads the status', async () => {
    expect((await client.listDevices()).map((d) => d.id)).toEqual(['device-0']);
    expect(await client.listLinks()).toEqual({ nowMs: 1, links: [], mediumStages: [] });
    expect((await client.status()).workload.total).toBe(9);
  });

  it('adds, reads, removes and resets faults, and runs requests, each through its route', async () => {
    const fault = await client.addFault({ id: 'c', kind: 'crash', target: 'device-0', durationMs: 100 });
    expect(fault).toMatchObject({ id: 'c', state: 'active', appliedAtMs: 5 });
    expect((await client.getFault('c')).id).toBe('c');
    expect((await client.listFaults()).map((f) => f.id)).toEqual(['c']);
    expect((await client.removeFault('c')).state).toBe('cleared');
    expect(await client.reset()).toBe(1);
    expect(await client.runRequests(3)).toHaveLength(3);
    await client.stop();
    expect(target.calls).toEqual(['add crash device-0', 'remove c', 'reset', 'run 3', 'stop']);
  });

  it('updates a fault in place, adds and removes medium stages on a link and medium-wide, and reads the versions', async () => {
    await client.addFault({ id: 'lag', kind: 'latency', target: 'device-0', latencyMs: 10 });
    expect((await client.updateFault('lag', { latencyMs: 20, toxicity: null })).id).toBe('lag');
    expect(await client.addStage('device-0', { type: 'latency', name: 'l', attributes: { latencyMs: 3 }, toxicity: 0.5 })).toMatchObject({ name: 'l' });
    await client.addStage(null, { type: 'loss', attributes: { probability: 0.1 } });
    await client.removeStage('device-0', 'l');
    await client.removeStage(null, 'a/b');
    expect(target.calls).toEqual([
      'add latency device-0',
      'update lag {"latencyMs":20,"toxicity":null}',
      '+stage device-0 latency 0.5',
      '+stage * loss 1',
      '-stage device-0 l',
      '-stage * a/b',
    ]);
    expect(await client.version()).toEqual({ version: '0.1.0', protocolVersion: 1, apiVersion: 2 });
    await expect(client.removeStage('device-0', 'nope')).rejects.toMatchObject({ code: 'E_STAGE_NOT_FOUND', status: 404 });
    await expect(client.addStage('device-0', { type: 'meteor' })).rejects.toMatchObject({ code: 'E_MEDIUM_REFUSED', status: 400 });
    await expect(client.updateFault('nope', { toxicity: 0.5 })).rejects.toMatchObject({ code: 'E_FAULT_NOT_FOUND', status: 404 });
  });

  it('throws ControlError with the server code and HTTP status', async () => {
    await expect(client.addFault({ kind: 'meteor' } as never)).rejects.toMatchObject({ code: 'E_FAULT_INVALID', status: 400 });
    await expect(client.removeFault('nope')).rejects.toMatchObject({ code: 'E_FAULT_NOT_FOUND', status: 404 });
    await expect(client.getFault('nope')).rejects.toBeInstanceOf(ControlError);
    await expect(client.runRequests(0)).rejects.toThrow(RangeError);
  });

  it('reports an unreachable API with E_CONTROL_UNREACHABLE', async () => {
    await server.close();
    await expect(client.status()).rejects.toMatchObject({ code: 'E_CONTROL_UNREACHABLE', status: 0 });
    server = await startControlServer(target);
  });
});

describe('connectToRun', () => {
  it('waits for control.json in the run directory, and times out with E_CONTROL_TIMEOUT when it never comes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wearnet-control-'));
    try {
      await expect(connectToRun({ outDir: dir, waitMs: 200 })).rejects.toMatchObject({ code: 'E_CONTROL_TIMEOUT' });
      setTimeout(() => writeFileSync(path.join(dir, 'control.json'), JSON.stringify({ url: 'http://127.0.0.1:9', port: 9 })), 150);
      const client = await connectToRun({ outDir: dir, waitMs: 5000 });
      expect(client.url).toBe('http://127.0.0.1:9');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
