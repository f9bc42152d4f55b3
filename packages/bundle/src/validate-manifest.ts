import { BundleError } from './errors';
import type { AggregatorManifest, DeviceManifest, SetManifest } from './manifests';

type Obj = Record<string, unknown>;

function fail(file: string, field: string, expected: string, value: unknown): never {
  throw new BundleError('E_BUNDLE_INVALID', `${file}: ${field} must be ${expected}, got ${JSON.stringify(value)?.slice(0, 60)}`);
}
function obj(file: string, field: string, value: unknown): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(file, field, 'an object', value);
  return value as Obj;
}
function int(file: string, field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) fail(file, field, `an integer >= ${min}`, value);
  return value as number;
}
function nonNegative(file: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(file, field, 'a non-negative number', value);
  return value as number;
}
function literal<T extends string | number>(file: string, field: string, value: unknown, choices: readonly T[]): T {
  if (!(choices as readonly unknown[]).includes(value)) fail(file, field, `one of ${choices.join(', ')}`, value);
  return value as T;
}
function str(file: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) fail(file, field, 'a non-empty string', value);
  return value as string;
}
function numbers(file: string, field: string, value: unknown, length: number): number[] {
  if (!Array.isArray(value) || value.length !== length || value.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    fail(file, field, `an array of ${length} finite numbers`, value);
  }
  return value as number[];
}
function hashes(file: string, value: unknown): Record<string, string> {
  const o = obj(file, 'sha256', value);
  for (const [name, hex] of Object.entries(o))
    if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/.test(hex)) fail(file, `sha256["${name}"]`, 'a sha256 hex string', hex);
  return o as Record<string, string>;
}

const METHODS = ['nonn', 'averaging', 'random'] as const;

/** Validates a parsed `set.json`. @throws BundleError `E_BUNDLE_INVALID` naming the field. */
export function validateSetManifest(value: unknown, file = 'set.json'): SetManifest {
  const o = obj(file, '(root)', value);
  return {
    format: literal(file, 'format', o.format, ['wearnet-bundle-set'] as const),
    version: literal(file, 'version', o.version, [1] as const),
    method: literal(file, 'method', o.method, METHODS),
    devices: int(file, 'devices', o.devices, 1),
    parts: int(file, 'parts', o.parts, 1),
    createdAt: typeof o.createdAt === 'string' ? o.createdAt : '',
    ...(o.source !== undefined ? { source: obj(file, 'source', o.source) } : {}),
  };
}

/** Validates a parsed device `manifest.json`. @throws BundleError `E_BUNDLE_INVALID` naming the field. */
export function validateDeviceManifest(value: unknown, file = 'manifest.json'): DeviceManifest {
  const o = obj(file, '(root)', value);
  const input = obj(file, 'input', o.input);
  const output = obj(file, 'output', o.output);
  const files = obj(file, 'files', o.files);
  const channels = int(file, 'input.channels', input.channels, 1);
  return {
    format: literal(file, 'format', o.format, ['wearnet-device-bundle'] as const),
    version: literal(file, 'version', o.version, [1] as const),
    deviceIndex: int(file, 'deviceIndex', o.deviceIndex, 0),
    part: int(file, 'part', o.part, 0),
    method: literal(file, 'method', o.method, METHODS),
    input: {
      height: int(file, 'input.height', input.height, 1),
      width: int(file, 'input.width', input.width, 1),
      channels,
      layout: literal(file, 'input.layout', input.layout, ['NHWC'] as const),
      mean: numbers(file, 'input.mean', input.mean, channels),
      std: numbers(file, 'input.std', input.std, channels),
    },
    output: { length: int(file, 'output.length', output.length, 1) },
    macs: nonNegative(file, 'macs', o.macs),
    params: nonNegative(file, 'params', o.params),
    files: { model: str(file, 'files.model', files.model), weights: str(file, 'files.weights', files.weights) },
    sha256: hashes(file, o.sha256 ?? {}),
  };
}

/** Validates a parsed aggregator `manifest.json`, including its internal consistency. @throws BundleError `E_BUNDLE_INVALID`. */
export function validateAggregatorManifest(value: unknown, file = 'manifest.json'): AggregatorManifest {
  const o = obj(file, '(root)', value);
  const devices = int(file, 'devices', o.devices, 1);
  const parts = int(file, 'parts', o.parts, 1);
  const devicePart = numbers(file, 'devicePart', o.devicePart, devices);
  devicePart.forEach((p, i) => {
    if (!Number.isInteger(p) || p < 0 || p >= parts) fail(file, `devicePart[${i}]`, `an integer in 0..${parts - 1}`, p);
  });
  const partWidths = numbers(file, 'partWidths', o.partWidths, parts);
  partWidths.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 1) fail(file, `partWidths[${i}]`, 'a positive integer', w);
  });
  const classes = int(file, 'classes', o.classes, 1);
  const headObj = obj(file, 'head', o.head);
  const head = {
    file: str(file, 'head.file', headObj.file),
    inputs: int(file, 'head.inputs', headObj.inputs, 1),
    outputs: int(file, 'head.outputs', headObj.outputs, 1),
  };
  const width = partWidths.reduce((a, b) => a + b, 0);
  if (head.inputs !== width) fail(file, 'head.inputs', `sum(partWidths) = ${width}`, head.inputs);
  if (head.outputs !== classes) fail(file, 'head.outputs', `classes = ${classes}`, head.outputs);
  const manifest: AggregatorManifest = {
    format: literal(file, 'format', o.format, ['wearnet-aggregator-bundle'] as const),
    version: literal(file, 'version', o.version, [1] as const),
    method: literal(file, 'method', o.method, METHODS),
    devices,
    parts,
    devicePart,
    partWidths,
    fusion: literal(file, 'fusion', o.fusion, ['concat', 'part-average'] as const),
    classes,
    head,
    sha256: hashes(file, o.sha256 ?? {}),
  };
  if (o.missingFill !== undefined) manifest.missingFill = literal(file, 'missingFill', o.missingFill, ['zero', 'mean'] as const);
  if (o.meanVectors !== undefined) {
    if (!Array.isArray(o.meanVectors) || o.meanVectors.length !== devices) fail(file, 'meanVectors', `${devices} vectors`, o.meanVectors);
    manifest.meanVectors = (o.meanVectors as unknown[]).map((v, d) => {
      const width = partWidths[devicePart[d]];
      if (!Array.isArray(v) || v.length !== width || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
        fail(file, `meanVectors[${d}]`, `${width} finite numbers`, v);
      }
      return v as number[];
    });
  }
  if (manifest.missingFill === 'mean' && manifest.meanVectors === undefined) fail(file, 'meanVectors', "present with missingFill 'mean'", undefined);
  if (o.labels !== undefined) {
    if (!Array.isArray(o.labels) || o.labels.length !== classes || o.labels.some((l) => typeof l !== 'string'))
      fail(file, 'labels', `${classes} strings`, o.labels);
    manifest.labels = o.labels as string[];
  }
  return manifest;
}
