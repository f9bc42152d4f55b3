import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The CLI package's own directory: an installed package ships `topologies/` and `bundles/` here. */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
/** The monorepo's root, where `topologies/` and `bundles/` live in a checkout. */
const REPO_ROOT = path.resolve(PACKAGE_ROOT, '..', '..');

/**
 * Where a default file (`topologies/body-8.yaml`, `bundles/nonn-8`) is found: relative to the
 * working directory if it is there, else inside the installed package (`npm pack` ships the
 * default topologies and bundles, scripts/pack.js), else in the repository checkout.
 */
export function resolveDefault(relative: string): string {
  for (const candidate of [relative, path.join(PACKAGE_ROOT, relative), path.join(REPO_ROOT, relative)]) {
    if (existsSync(candidate)) return candidate;
  }
  return relative;
}
