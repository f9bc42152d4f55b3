import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { BundleErrorCode } from './errors';
import { sha256Of } from './files';
import type { DeviceManifest } from './manifests';

/** Why a device's bundle cannot be loaded: its code and the file at fault. */
export interface BundleFileProblem {
  code: BundleErrorCode;
  /** The file at fault (absolute or relative to the working directory, as `dir` was given). */
  file: string;
  message: string;
}

/**
 * Checks every file a device bundle names (model and weights) before any process starts: it must
 * exist, have a sha256 in the manifest, and match it (a truncated or altered file does not).
 * Returns the first problem, or undefined when the bundle is whole.
 */
export async function verifyDeviceFiles(dir: string, manifest: DeviceManifest): Promise<BundleFileProblem | undefined> {
  for (const name of [manifest.files.model, manifest.files.weights]) {
    const file = path.join(dir, name);
    const expected = manifest.sha256[name];
    if (expected === undefined) return { code: 'E_BUNDLE_INVALID', file, message: `${file} has no sha256 in its manifest` };
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch {
      return { code: 'E_BUNDLE_MISSING', file, message: `cannot read ${file}` };
    }
    const actual = sha256Of(bytes);
    if (actual !== expected) {
      return {
        code: 'E_BUNDLE_HASH_MISMATCH',
        file,
        message: `${file} (${bytes.length} bytes) has sha256 ${actual.slice(0, 12)}..., its manifest says ${expected.slice(0, 12)}...`,
      };
    }
  }
  return undefined;
}
