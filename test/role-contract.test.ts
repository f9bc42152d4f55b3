import * as path from 'node:path';
import { ControlClient } from '@wearnet/control-client';
import { loadTopology, renderCompose, startControlServer, type ControlServer, type ControlTarget } from '@wearnet/launcher';
import {
  CONTROL_ROUTES,
  ROLE_CONFIG_KEYS,
  formatRoleCommand,
  formatRoleEvent,
  parseRoleCommand,
  parseRoleEvent,
  type DeviceView,
  type FaultView,
  type LinksView,
  type RequestRecord,
  type RoleCommand,
  type RoleEvent,
  type StatusView,
} from '@wearnet/roles';

const ROOT = path.resolve(__dirname, '..');

/** The seam between the launcher and the processes: both sides speak the types of @wearnet/roles. */
describe('the launcher <-> process contract (@wearnet/roles)', () => {
  it('writes role configs with only the keys the role processes read', async () => {
    const { topology } = await loadTopology(path.join(ROOT, 'topologies', 'body-8.yaml'));
    const { configs } = renderCompose(topology, { repoRoot: ROOT });
    expect(new Set(configs.map((c) => c.config.role))).toEqual(new Set(['medium', 'aggregator', 'device', 'controller']));
    // The controller's config is the launcher's own (parseControllerConfig validates it); the roles' keys are checked here.
    for (const { config } of configs) {
      if (config.role === 'controller') continue;
      const allowed = new Set<string>(ROLE_CONFIG_KEYS[config.role]);
      const extra = Object.keys(config).filter((key) => !allowed.has(key));
      expect({ role: config.role, extra }).toEqual({ role: config.role, extra: [] });
    }
  });

  it('carries every role event and command through one line unchanged', () => {
    const usage = { cpuUserMs: 1, cpuSystemMs: 2, maxRssKb: 3 };
    const events: RoleEvent[] = [
      { event: 'ready', role: 'medium', pid: 1, port: 2, ...usage },
      { event: 'loaded', role: 'device', pid: 1 },
      { event: 'started', devices: 8 },
      { event: 'devices', authenticated: ['device-0'] },
      { event: 'progress', done: 1, total: 2, issued: 1, allowed: 2, correct: 1, deadlineMisses: 0, p50LatencyMs: 5 },
      { event: 'stats', role: 'aggregator', report: { x: 1 }, ...usage },
      { event: 'error', code: 'E_HUB_LOST', message: 'gone' },
    ];
    for (const event of events) expect(parseRoleEvent(formatRoleEvent(event).trim())).toEqual(event);
    const commands: RoleCommand[] = [{ command: 'connect' }, { command: 'slow', factor: 2 }, { command: 'allow', upTo: 3 }];
    for (const command of commands) expect(parseRoleCommand(formatRoleCommand(command).trim())).toEqual(command);
  });

  describe('the control API', () => {
    const device: DeviceView = { id: 'device-0', index: 0, state: 'running', pid: 7, authenticated: true, computeFactor: 1, spare: 'none', incarnations: 1 };
    const fault: FaultView = {
      id: 'crash-0',
      kind: 'crash',
      targets: ['device-0'],
      state: 'active',
      spec: { id: 'crash-0', kind: 'crash', targets: ['device-0'] } as never,
      appliedAtMs: 3,
    };
    const status: StatusView = {
      ...{ runId: 'r', outDir: '/tmp/r', nowMs: 1, workloadStartMs: 0, gated: true, finished: false },
      workload: { total: 4, issued: 0, allowed: 0, done: 0, correct: 0, accuracy: 0, deadlineMisses: 0, p50LatencyMs: null },
      devices: [device],
      faults: [fault],
    };
    const links: LinksView = { nowMs: 1, links: [], mediumStages: [] };
    const stage = { name: 'lag', type: 'latency', direction: 'uplink' as const, attributes: { latencyMs: 5, jitterMs: 0 }, toxicity: 0.5 };
    const record: RequestRecord = {
      id: 0,
      sample: 0,
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
    };
    const target: ControlTarget = {
      status: () => status,
      devices: () => [device],
      links: async () => links,
      listFaults: () => [fault],
      getFault: (id) => (id === fault.id ? fault : undefined),
      addFault: async () => fault,
      updateFault: async () => fault,
      removeFault: async () => ({ ...fault, state: 'cleared' }),
      addStage: async () => stage,
      removeStage: async () => true,
      reset: async () => 1,
      runRequests: async () => [record],
      stop: () => undefined,
    };
    let server: ControlServer;
    const seen: string[] = [];

    beforeAll(async () => {
      server = await startControlServer(target);
    });
    afterAll(() => server.close());

    it('serves every route the client calls, and the client reads the views the server sends', async () => {
      const recording: typeof fetch = (input, init) => {
        const url = new URL(String(input));
        const route = url.pathname
          .replace(/^\/faults\/.+$/, '/faults/:id')
          .replace(/^\/links\/[^/]+\/stages/, '/links/:device/stages')
          .replace(/\/stages\/[^/]+$/, '/stages/:name');
        seen.push(`${init?.method ?? 'GET'} ${route}`);
        return fetch(input, init);
      };
      const client = new ControlClient({ url: server.url, fetch: recording });
      expect(await client.status()).toEqual(status);
      expect(await client.listDevices()).toEqual([device]);
      expect(await client.listLinks()).toEqual(links);
      expect(await client.listFaults()).toEqual([fault]);
      expect(await client.getFault('crash-0')).toEqual(fault);
      expect(await client.addFault({ kind: 'crash', target: 'device-0' })).toEqual(fault);
      expect(await client.updateFault('crash-0', { toxicity: 0.5 })).toEqual(fault);
      expect(await client.removeFault('crash-0')).toEqual({ ...fault, state: 'cleared' });
      expect(await client.addStage('device-0', stage)).toEqual(stage);
      expect(await client.addStage(null, stage)).toEqual(stage);
      await client.removeStage('device-0', 'lag');
      await client.removeStage(null, 'lag');
      expect(await client.version()).toEqual({ version: expect.any(String), protocolVersion: 1, apiVersion: 2 });
      expect(await client.reset()).toBe(1);
      expect(await client.runRequests(1)).toEqual([record]);
      await client.stop();
      expect([...seen].sort()).toEqual([...CONTROL_ROUTES].sort());
    });
  });
});
