import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BundleError } from './errors';
import type { AggregatorManifest, DeviceManifest, Head, SetManifest } from './manifests';
import { validateAggregatorManifest, validateDeviceManifest, validateSetManifest } from './validate-manifest';

/** File names of the format. */
export const SET_FILE = 'set.json';
export const MANIFEST_FILE = 'manifest.json';
export const AGGREGATOR_DIR = 'aggregator';

/** Directory of device `index` in a set. */
export function deviceDir(setDir: string, index: number): string {
  return path.join(setDir, `device-${index}`);
}

/** sha256 of bytes, hex. */
export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (cause) {
    throw new BundleError('E_BUNDLE_MISSING', `cannot read ${file}`, { cause });
  }
}

async function readJson(file: string): Promise<unknown> {
  const bytes = await readBytes(file);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new BundleError('E_BUNDLE_INVALID', `${file} is not valid JSON`, { cause });
  }
}

function checkHash(file: string, bytes: Uint8Array, expected: string | undefined): void {
  if (expected !== undefined && sha256Of(bytes) !== expected) {
    throw new BundleError('E_BUNDLE_HASH_MISMATCH', `${file} does not match the sha256 in its manifest`);
  }
}

/** Reads and validates `set.json`. @throws BundleError. */
export async function readSetManifest(setDir: string): Promise<SetManifest> {
  const file = path.join(setDir, SET_FILE);
  return validateSetManifest(await readJson(file), file);
}

/** Reads and validates a device manifest. @throws BundleError. */
export async function readDeviceManifest(dir: string): Promise<DeviceManifest> {
  const file = path.join(dir, MANIFEST_FILE);
  return validateDeviceManifest(await readJson(file), file);
}

/** An aggregator bundle in memory. */
export interface AggregatorBundle {
  manifest: AggregatorManifest;
  head: Head;
}

/** Reads the aggregator manifest and its head, checking size and sha256. @throws BundleError. */
export async function readAggregatorBundle(dir: string): Promise<AggregatorBundle> {
  const file = path.join(dir, MANIFEST_FILE);
  const manifest = validateAggregatorManifest(await readJson(file), file);
  const headFile = path.join(dir, manifest.head.file);
  const bytes = await readBytes(headFile);
  const { inputs, outputs } = manifest.head;
  const expected = (inputs * outputs + outputs) * 4;
  if (bytes.length !== expected)
    throw new BundleError('E_BUNDLE_INVALID', `${headFile} has ${bytes.length} bytes, expected ${expected} for a ${inputs}x${outputs} head`);
  checkHash(headFile, bytes, manifest.sha256[manifest.head.file]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const weights = new Float32Array(inputs * outputs);
  for (let i = 0; i < weights.length; i += 1) weights[i] = view.getFloat32(i * 4, true);
  const bias = new Float32Array(outputs);
  for (let o = 0; o < outputs; o += 1) bias[o] = view.getFloat32((weights.length + o) * 4, true);
  return { manifest, head: { inputs, outputs, weights, bias } };
}

/** A bundle set with every manifest read and cross-checked. */
export interface BundleSet {
  dir: string;
  set: SetManifest;
  devices: DeviceManifest[];
  aggregator: AggregatorBundle;
}

/**
 * Reads a whole set and checks that its parts agree: K device manifests with indices 0..K-1,
 * each device's part and output length matching the aggregator's `devicePart` and `partWidths`.
 * @throws BundleError.
 */
export async function readBundleSet(setDir: string): Promise<BundleSet> {
  const set = await readSetManifest(setDir);
  const aggregator = await readAggregatorBundle(path.join(setDir, AGGREGATOR_DIR));
  const m = aggregator.manifest;
  if (m.devices !== set.devices || m.parts !== set.parts) {
    throw new BundleError('E_BUNDLE_INVALID', `${setDir}: set.json says ${set.devices} devices / ${set.parts} parts, the aggregator ${m.devices} / ${m.parts}`);
  }
  const devices: DeviceManifest[] = [];
  for (let i = 0; i < set.devices; i += 1) {
    const manifest = await readDeviceManifest(deviceDir(setDir, i));
    if (manifest.deviceIndex !== i) throw new BundleError('E_BUNDLE_INVALID', `${deviceDir(setDir, i)}: deviceIndex is ${manifest.deviceIndex}, expected ${i}`);
    if (manifest.part !== m.devicePart[i])
      throw new BundleError('E_BUNDLE_INVALID', `${deviceDir(setDir, i)}: part ${manifest.part} but the aggregator says ${m.devicePart[i]}`);
    if (manifest.output.length !== m.partWidths[manifest.part]) {
      throw new BundleError(
        'E_BUNDLE_INVALID',
        `${deviceDir(setDir, i)}: output.length ${manifest.output.length} but part ${manifest.part} has width ${m.partWidths[manifest.part]}`,
      );
    }
    devices.push(manifest);
  }
  return { dir: setDir, set, devices, aggregator };
}

/** Writes `set.json`. */
export async function writeSetManifest(setDir: string, manifest: SetManifest): Promise<void> {
  await fs.mkdir(setDir, { recursive: true });
  await fs.writeFile(path.join(setDir, SET_FILE), `${JSON.stringify(validateSetManifest(manifest), null, 2)}\n`);
}

/** Writes a device manifest (the model files must already be in `dir`). */
export async function writeDeviceManifest(dir: string, manifest: DeviceManifest): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(validateDeviceManifest(manifest), null, 2)}\n`);
}

/** Writes the head file and the aggregator manifest (its `sha256` of the head is filled in). */
export async function writeAggregatorBundle(dir: string, manifest: Omit<AggregatorManifest, 'sha256'>, head: Head): Promise<AggregatorManifest> {
  if (head.weights.length !== head.inputs * head.outputs || head.bias.length !== head.outputs) {
    throw new RangeError(`head weights must be ${head.inputs}x${head.outputs} and bias ${head.outputs}`);
  }
  const bytes = new Uint8Array((head.weights.length + head.bias.length) * 4);
  const view = new DataView(bytes.buffer);
  head.weights.forEach((w, i) => view.setFloat32(i * 4, w, true));
  head.bias.forEach((b, o) => view.setFloat32((head.weights.length + o) * 4, b, true));
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, manifest.head.file), bytes);
  const full = validateAggregatorManifest({ ...manifest, sha256: { [manifest.head.file]: sha256Of(bytes) } });
  await fs.writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}
