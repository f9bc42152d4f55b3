import { parseTopology } from '../src/topology';

const placed = (preset: string, position: string) => `name: t
bundles: ./b
link:
  preset: ${preset}
devices:
  - { class: cortex-m7-480, position: chest }
  - { class: cortex-m7-480, position: ${position} }
`;

describe('parseTopology body positions', () => {
  it('puts the devices\u2019 body positions into the link\u2019s path-loss table', () => {
    const topology = parseTopology(placed('hbc-walking', 'wrist'), 'topo.yaml');
    expect(topology.link.pathLoss?.devices).toEqual({ 'device-0': 'chest', 'device-1': 'wrist' });
    expect(topology.devices[1].position).toBe('wrist');
  });

  it('points a position without a pair in the table at its YAML path', () => {
    expect(() => parseTopology(placed('hbc-walking', 'knee'), 'topo.yaml')).toThrow(/devices\[1\]\.position: pathLoss\.devices\.device-1: no pair waist-knee/);
  });

  it('refuses positions on a preset without a path-loss table', () => {
    expect(() => parseTopology(placed('hbc-1m3', 'wrist'), 'topo.yaml')).toThrow(/devices\[0\]\.position: link preset hbc-1m3 has no path-loss table/);
  });
});

describe('parseTopology link trace', () => {
  it('resolves a trace file relative to the topology, with the threshold model defaults', () => {
    const topology = parseTopology(
      `name: t\nbundles: ./b\nlink:\n  preset: hbc-1m3\n  trace: { file: traces/walk.csv }\ndevices:\n  count: 1\n`,
      '/somewhere/topo.yaml',
    );
    expect(topology.link.trace).toEqual({ file: '/somewhere/traces/walk.csv', thresholdDb: -85, widthDb: 1, loop: true });
  });
});
