import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { loadTopology } from '@wearnet/launcher';

const ROOT = path.resolve(__dirname, '..');
const DIR = path.join(ROOT, 'topologies');

describe('shipped topologies', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));

  it('includes the default and the three the emulator issue names', () => {
    expect(files).toEqual(expect.arrayContaining(['body-8.yaml', 'body-4.yaml', 'body-8-164k.yaml', 'body-8-walking.yaml']));
  });

  it.each(files)('%s validates and its bundle set holds every device', async (file) => {
    const { topology, bundleSet } = await loadTopology(path.join(DIR, file));
    expect(topology.devices.length).toBeGreaterThan(0);
    expect(bundleSet.devices).toHaveLength(bundleSet.set.devices);
  });

  it('runs trained students by default, exported from a distillation run with its accuracy recorded', async () => {
    const { bundleSet } = await loadTopology(path.join(DIR, 'body-8.yaml'));
    expect(bundleSet.set.method).not.toBe('random');
    expect(bundleSet.set.devices).toBe(8);
    const source = bundleSet.set.source as { testAccuracy?: unknown; run?: unknown } | undefined;
    expect(typeof source?.run).toBe('string');
    expect(source?.testAccuracy).toEqual(expect.any(Number));
  });
});
