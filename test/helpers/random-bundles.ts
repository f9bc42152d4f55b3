import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** The repository root and the CLI entry the root cross-process tests run. */
export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'packages', 'cli', 'bin', 'wearnet.js');

/** Options of {@link writeRandomBundles}: the shape of a small random bundle set. */
export interface RandomBundlesOptions {
  devices: number;
  parts: number;
  fusedWidth: number;
  studentWidths: string;
  seed: number;
}

/** Writes a random development bundle set with `wearnet bundles random` into `outDir`. */
export function writeRandomBundles(outDir: string, o: RandomBundlesOptions): void {
  const args = ['bundles', 'random', '--out', outDir, '--devices', String(o.devices), '--parts', String(o.parts)];
  args.push('--fused-width', String(o.fusedWidth), '--student-widths', o.studentWidths, '--seed', String(o.seed));
  execFileSync(process.execPath, [CLI, ...args], { cwd: ROOT });
}
