import { ModnnError } from './errors';

/** Format tag of a MoDNN device bundle's `manifest.json`. */
export const MODNN_DEVICE_FORMAT = 'wearnet-modnn-device-bundle';
/** Format tag of a MoDNN aggregator bundle's `manifest.json`. */
export const MODNN_AGGREGATOR_FORMAT = 'wearnet-modnn-aggregator-bundle';
/** File names inside a MoDNN bundle set. */
export const MODNN_FILES = { set: 'set.json', manifest: 'manifest.json', plan: 'plan.json', weights: 'weights.bin', aggregator: 'aggregator' } as const;

/** One weight array inside `weights.bin`: little-endian float32 at `offset` bytes, `shape` row-major. */
export interface WeightEntry {
  node: string;
  role: string;
  shape: number[];
  /** Byte offset in `weights.bin`. */
  offset: number;
}

/** `device-<i>/manifest.json` of a MoDNN bundle set (docs/BUNDLES.md). */
export interface ModnnDeviceManifest {
  format: typeof MODNN_DEVICE_FORMAT;
  version: 1;
  method: 'modnn';
  deviceIndex: number;
  devices: number;
  /** Device class the speed came from, for example `cortex-m7-480`. */
  deviceClass: string;
  input: { height: number; width: number; channels: number; layout: 'NHWC'; mean: number[]; std: number[] };
  /** This device's share, for people and for checks: its rows per feature-map height, its dense neurons, the message ids it sends and receives. */
  band: { rowsByHeight: Record<string, [number, number]>; denseUnits: [number, number]; sends: number[]; receives: number[] };
  macs: number;
  params: number;
  files: { plan: string; weights: string };
  weights: WeightEntry[];
  /** Epsilon of each batchnorm node. */
  epsilon: Record<string, number>;
  sha256: Record<string, string>;
}

/** `aggregator/manifest.json` of a MoDNN bundle set. */
export interface ModnnAggregatorManifest {
  format: typeof MODNN_AGGREGATOR_FORMAT;
  version: 1;
  method: 'modnn';
  devices: number;
  classes: number;
  /** Output neurons of each device, `[start, end)`: the final gather concatenates the slices in this order. */
  denseUnits: [number, number][];
  /** Ids of the partial-pool messages the hub sums and the logits messages it gathers. */
  gather: { partials: number[]; pooled: number[]; logits: number[] };
  files: { plan: string };
  labels?: string[];
  sha256: Record<string, string>;
}

type Obj = Record<string, unknown>;

function invalid(file: string, field: string, why: string): never {
  throw new ModnnError('E_BUNDLE_INVALID', `${file}: ${field} ${why}`);
}
function obj(file: string, field: string, v: unknown): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) invalid(file, field, 'must be an object');
  return v as Obj;
}
function int(file: string, field: string, v: unknown, min = 0): number {
  if (!Number.isSafeInteger(v) || (v as number) < min) invalid(file, field, `must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return v as number;
}
function str(file: string, field: string, v: unknown): string {
  if (typeof v !== 'string' || v === '') invalid(file, field, 'must be a non-empty string');
  return v as string;
}
function literal<T>(file: string, field: string, v: unknown, want: T): T {
  if (v !== want) invalid(file, field, `must be ${JSON.stringify(want)}, got ${JSON.stringify(v)}`);
  return want;
}
function ints(file: string, field: string, v: unknown, length?: number): number[] {
  if (!Array.isArray(v) || (length !== undefined && v.length !== length))
    invalid(file, field, `must be an array${length === undefined ? '' : ` of ${length}`} integers`);
  return (v as unknown[]).map((x, i) => int(file, `${field}[${i}]`, x));
}
function numbers(file: string, field: string, v: unknown, length: number): number[] {
  if (!Array.isArray(v) || v.length !== length || v.some((x) => typeof x !== 'number' || !Number.isFinite(x)))
    invalid(file, field, `must be ${length} finite numbers`);
  return v as number[];
}
function hashes(file: string, field: string, v: unknown, names: string[]): Record<string, string> {
  const o = obj(file, field, v);
  for (const n of names) if (typeof o[n] !== 'string' || !/^[0-9a-f]{64}$/.test(o[n] as string)) invalid(file, `${field}["${n}"]`, 'must be a sha256 hex');
  return o as Record<string, string>;
}

/** Validates a MoDNN device manifest from `unknown`. @throws ModnnError `E_BUNDLE_INVALID` naming file and field. */
export function validateModnnDeviceManifest(v: unknown, file: string): ModnnDeviceManifest {
  const o = obj(file, 'manifest', v);
  literal(file, 'format', o.format, MODNN_DEVICE_FORMAT);
  literal(file, 'version', o.version, 1);
  literal(file, 'method', o.method, 'modnn');
  const devices = int(file, 'devices', o.devices, 1);
  const deviceIndex = int(file, 'deviceIndex', o.deviceIndex);
  if (deviceIndex >= devices) invalid(file, 'deviceIndex', `must be below devices (${devices})`);
  str(file, 'deviceClass', o.deviceClass);
  const input = obj(file, 'input', o.input);
  ['height', 'width', 'channels'].forEach((f) => int(file, `input.${f}`, input[f], 1));
  literal(file, 'input.layout', input.layout, 'NHWC');
  numbers(file, 'input.mean', input.mean, input.channels as number);
  numbers(file, 'input.std', input.std, input.channels as number);
  const band = obj(file, 'band', o.band);
  ints(file, 'band.denseUnits', band.denseUnits, 2);
  ints(file, 'band.sends', band.sends);
  ints(file, 'band.receives', band.receives);
  Object.entries(obj(file, 'band.rowsByHeight', band.rowsByHeight)).forEach(([h, r]) => ints(file, `band.rowsByHeight.${h}`, r, 2));
  int(file, 'macs', o.macs);
  int(file, 'params', o.params);
  const files = obj(file, 'files', o.files);
  str(file, 'files.plan', files.plan);
  str(file, 'files.weights', files.weights);
  if (!Array.isArray(o.weights)) invalid(file, 'weights', 'must be an array');
  (o.weights as unknown[]).forEach((w, i) => {
    const e = obj(file, `weights[${i}]`, w);
    str(file, `weights[${i}].node`, e.node);
    str(file, `weights[${i}].role`, e.role);
    ints(file, `weights[${i}].shape`, e.shape);
    int(file, `weights[${i}].offset`, e.offset);
  });
  const eps = obj(file, 'epsilon', o.epsilon);
  Object.entries(eps).forEach(([k, x]) => {
    if (typeof x !== 'number' || !(x > 0)) invalid(file, `epsilon.${k}`, 'must be a positive number');
  });
  hashes(file, 'sha256', o.sha256, [files.plan as string, files.weights as string]);
  return o as unknown as ModnnDeviceManifest;
}

/** Validates a MoDNN aggregator manifest from `unknown`. @throws ModnnError `E_BUNDLE_INVALID` naming file and field. */
export function validateModnnAggregatorManifest(v: unknown, file: string): ModnnAggregatorManifest {
  const o = obj(file, 'manifest', v);
  literal(file, 'format', o.format, MODNN_AGGREGATOR_FORMAT);
  literal(file, 'version', o.version, 1);
  literal(file, 'method', o.method, 'modnn');
  const devices = int(file, 'devices', o.devices, 1);
  int(file, 'classes', o.classes, 1);
  if (!Array.isArray(o.denseUnits) || o.denseUnits.length !== devices) invalid(file, 'denseUnits', `must have ${devices} entries`);
  (o.denseUnits as unknown[]).forEach((u, i) => ints(file, `denseUnits[${i}]`, u, 2));
  const gather = obj(file, 'gather', o.gather);
  ['partials', 'pooled', 'logits'].forEach((f) => ints(file, `gather.${f}`, gather[f]));
  const files = obj(file, 'files', o.files);
  str(file, 'files.plan', files.plan);
  if (o.labels !== undefined && (!Array.isArray(o.labels) || o.labels.some((l) => typeof l !== 'string'))) invalid(file, 'labels', 'must be strings');
  hashes(file, 'sha256', o.sha256, [files.plan as string]);
  return o as unknown as ModnnAggregatorManifest;
}
