import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { readBundleSet, type BundleSet } from '@wearnet/bundle';
import { LauncherError } from './errors';
import { parseTopology, type Topology } from './topology';
import { YamlWalker } from './yaml-walker';

/** A topology and the bundle set it points at. */
export interface LoadedTopology {
  topology: Topology;
  bundleSet: BundleSet;
}

/**
 * Reads, validates and cross-checks a topology file: the bundle set must exist and hold a bundle
 * for every device index. @throws LauncherError `E_TOPOLOGY_NOT_FOUND` or `E_TOPOLOGY_INVALID`.
 */
export async function loadTopology(file: string): Promise<LoadedTopology> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (cause) {
    throw new LauncherError('E_TOPOLOGY_NOT_FOUND', `cannot read topology ${absolute}`, { cause });
  }
  const topology = parseTopology(text, absolute);
  const walker = new YamlWalker(absolute, text);
  let bundleSet: BundleSet;
  try {
    bundleSet = await readBundleSet(topology.bundles);
  } catch (cause) {
    throw walker.error(
      ['bundles'],
      `${(cause as Error).message} (${(cause as { code?: string }).code ?? 'error'}); create development bundles with \`wearnet bundles random --out ${path.relative(process.cwd(), topology.bundles) || '.'}\``,
    );
  }
  topology.devices.forEach((device, i) => {
    if (device.index >= bundleSet.set.devices) {
      throw walker.error(
        Array.isArray((walker.value as { devices?: unknown }).devices) ? ['devices', i] : ['devices', 'count'],
        `device ${device.id} needs bundle index ${device.index}, but ${topology.bundles} holds ${bundleSet.set.devices} devices`,
      );
    }
  });
  return { topology, bundleSet };
}
