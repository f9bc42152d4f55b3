import type { BundleSet } from './files';

/** The method label of a bundle set, as reports name it. */
export function bundleMethodLabel(bundleSet: BundleSet): string {
  const method = bundleSet.set.method;
  if (method !== 'random') return method;
  return `${bundleSet.aggregator.manifest.fusion === 'concat' ? 'nonn' : 'averaging'} (random bundles)`;
}
