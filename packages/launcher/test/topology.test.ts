import { parseTopology } from '../src/topology';
import { formatPath } from '../src/yaml-walker';

const base = `name: t
bundles: ./b
devices:
  count: 2
  class: cortex-m4-80
`;

function errorOf(text: string): { code?: string; message: string; path?: string } {
  try {
    parseTopology(text, 'topo.yaml');
  } catch (err) {
    return err as { code?: string; message: string; path?: string };
  }
  throw new Error('expected an error');
}

describe('parseTopology', () => {
  it('applies defaults: hbc-1m3, broadcast inputs, closed loop, 1 s deadline, real time', () => {
    const topology = parseTopology(base, '/x/topo.yaml');
    expect(topology.link.preset).toBe('hbc-1m3');
    expect(topology.bundles).toBe('/x/b');
    expect(topology.devices.map((d) => d.id)).toEqual(['device-0', 'device-1']);
    expect(topology.devices[0].deviceClass.name).toBe('cortex-m4-80');
    expect(topology.workload).toMatchObject({
      inputMode: 'broadcast',
      arrival: { mode: 'closed', concurrency: 1 },
      deadlineMs: 1000,
      dataset: { source: 'shipped' },
    });
    expect(topology.timeScale).toBe(1);
  });

  it('points an unknown device class at its YAML path and line', () => {
    const error = errorOf(`name: t
bundles: ./b
devices:
  - class: cortex-m4-80
  - class: cortex-m4-80
  - class: cortex-m4-80
  - class: m9
`);
    expect(error.code).toBe('E_TOPOLOGY_INVALID');
    expect(error.path).toBe('devices[3].class');
    expect(error.message).toMatch(/^topo\.yaml:7:\d+: devices\[3\]\.class: unknown device class "m9" \(known: cortex-m4-80/);
  });

  it('names the link field of a bad override', () => {
    const error = errorOf(`${base}link:\n  preset: walking\n  burst:\n    lossInBad: 3\n`);
    expect(error.path).toBe('link.burst.lossInBad');
    expect(error.message).toMatch(/^topo\.yaml:\d+:\d+: link\.burst\.lossInBad: must be in \[0, 1\], got 3/);
  });

  it('rejects an unknown key, naming the allowed ones', () => {
    expect(errorOf(`${base}workload:\n  deadline: 5\n`).message).toMatch(/workload\.deadline: unknown key \(allowed: dataset, requests/);
  });

  it('rejects an unknown preset, a repeated device id and a bad arrival', () => {
    expect(errorOf(`${base}link: { preset: wifi }\n`).path).toBe('link.preset');
    expect(errorOf('name: t\nbundles: b\ndevices:\n  - { id: a }\n  - { id: a }\n').path).toBe('devices[1].id');
    expect(errorOf(`${base}workload:\n  arrival: { mode: open }\n`).path).toBe('workload.arrival.ratePerSecond');
  });

  it('reports YAML syntax errors with their position', () => {
    expect(errorOf('name: [t\nbundles: b').message).toMatch(/^topo\.yaml:\d+:\d+: /);
  });

  it('reads startConcurrency (absent: undefined, the host decides) and rejects one outside 1..1024 at its line', () => {
    expect(parseTopology(base).startConcurrency).toBeUndefined();
    expect(parseTopology(`${base}startConcurrency: 3\n`).startConcurrency).toBe(3);
    for (const bad of ['0', '1.5', '1025', 'four']) {
      const error = errorOf(`${base}startConcurrency: ${bad}\n`);
      expect(error.code).toBe('E_TOPOLOGY_INVALID');
      expect(error.message).toMatch(/^topo\.yaml:6:\d+: startConcurrency: must be an integer in \[1, 1024\]/);
    }
  });

  it('requires devices', () => {
    expect(errorOf('name: t\nbundles: b\n').path).toBe('devices');
  });

  it('formats paths the way users write them', () => {
    expect(formatPath(['devices', 3, 'class'])).toBe('devices[3].class');
    expect(formatPath([])).toBe('(root)');
  });
});

describe('parseTopology faults and gating', () => {
  it('reads a fault schedule and a gated workload', () => {
    const topology = parseTopology(`${base}workload:
  gated: true
faults:
  - { kind: crash, target: device-1, atMs: 100, durationMs: 50 }
  - { id: cut, kind: link-down, target: [device-0, device-1], afterRequests: 10, forRequests: 5 }
`);
    expect(topology.workload.gated).toBe(true);
    expect(topology.faults).toEqual([
      { id: 'crash-0', kind: 'crash', targets: ['device-1'], start: { atMs: 100 }, end: { durationMs: 50 } },
      { id: 'cut', kind: 'link-down', targets: ['device-0', 'device-1'], start: { afterRequests: 10 }, end: { forRequests: 5 }, direction: 'both' },
    ]);
    expect(parseTopology(base).faults).toEqual([]);
    expect(parseTopology(base).workload.gated).toBe(false);
  });

  it('points a bad fault at its YAML path and line', () => {
    const error = errorOf(`${base}faults:
  - { kind: crash, target: device-0 }
  - { kind: slow, target: device-7, factor: 2 }
`);
    expect(error.code).toBe('E_TOPOLOGY_INVALID');
    expect(error.path).toBe('faults[1].target');
    expect(error.message).toMatch(/^topo\.yaml:8:\d+: faults\[1\]\.target: unknown device "device-7"/);
  });

  it('reads latency and bandwidth faults with a toxicity, and points a jitter above the latency at its line', () => {
    const topology = parseTopology(`${base}faults:
  - { id: lag, kind: latency, target: device-0, direction: uplink, latencyMs: 30, jitterMs: 5, toxicity: 0.25, afterRequests: 3 }
  - { kind: bandwidth, target: [device-0, device-1], rateBps: 16000, atMs: 200, durationMs: 100 }
`);
    expect(topology.faults).toEqual([
      {
        id: 'lag',
        kind: 'latency',
        targets: ['device-0'],
        start: { afterRequests: 3 },
        end: null,
        direction: 'uplink',
        latencyMs: 30,
        jitterMs: 5,
        toxicity: 0.25,
      },
      {
        id: 'bandwidth-1',
        kind: 'bandwidth',
        targets: ['device-0', 'device-1'],
        start: { atMs: 200 },
        end: { durationMs: 100 },
        direction: 'both',
        rateBps: 16000,
      },
    ]);
    const error = errorOf(`${base}faults:
  - { kind: latency, target: device-0, latencyMs: 5, jitterMs: 9 }
`);
    expect(error.code).toBe('E_TOPOLOGY_INVALID');
    expect(error.path).toBe('faults[0].jitterMs');
    expect(error.message).toMatch(/^topo\.yaml:7:\d+: faults\[0\]\.jitterMs: must not exceed latencyMs/);
    expect(errorOf(`${base}faults:\n  - { kind: crash, target: device-0, toxicity: 0.5 }\n`).path).toBe('faults[0].toxicity');
  });
});
