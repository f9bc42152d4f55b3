import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bandRows } from './bands';
import {
  MODNN_AGGREGATOR_FORMAT,
  MODNN_DEVICE_FORMAT,
  MODNN_FILES,
  validateModnnAggregatorManifest,
  validateModnnDeviceManifest,
  type ModnnAggregatorManifest,
  type ModnnDeviceManifest,
  type WeightEntry,
} from './bundle-format';
import { checkDeviceWeights, deviceWeights, expectedWeightShapes } from './device-weights';
import { ModnnError } from './errors';
import { nodeIndex, type GraphNode } from './graph';
import type { GraphWeights } from './model-graph';
import { planModnn } from './plan';
import { HUB, type ModnnPlan } from './plan-types';

/** `set.json` of a MoDNN bundle set (the same file name and envelope as the other methods' sets). */
export interface ModnnSetManifest {
  format: 'wearnet-bundle-set';
  version: 1;
  method: 'modnn';
  devices: number;
  /** MoDNN has no parts; always 0. */
  parts: 0;
  createdAt: string;
  source?: Record<string, unknown>;
}

/** Options of {@link writeModnnBundleSet}. */
export interface WriteModnnBundleSetOptions {
  dir: string;
  plan: ModnnPlan;
  /** The whole model's weights; each device bundle gets its share ({@link deviceWeights}). */
  weights: GraphWeights;
  /** Device class name of each device (recorded; the plan's speeds came from them). */
  deviceClasses: readonly string[];
  /** Input normalisation the model was trained with: `(x / 255 - mean[c]) / std[c]`. */
  mean: readonly number[];
  std: readonly number[];
  labels?: readonly string[];
  source?: Record<string, unknown>;
  /** Timestamp to record; default now. */
  createdAt?: string;
}

/** A MoDNN bundle set read and checked by {@link readModnnBundleSet}. */
export interface ModnnBundleSet {
  set: ModnnSetManifest;
  plan: ModnnPlan;
  aggregator: ModnnAggregatorManifest;
  devices: { manifest: ModnnDeviceManifest; weights: GraphWeights }[];
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function writeAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

/** Directory of device `i` inside a set. */
export function modnnDeviceDir(dir: string, i: number): string {
  return join(dir, `device-${i}`);
}

/**
 * Writes a MoDNN bundle set (docs/BUNDLES.md): `set.json`; per device `manifest.json`, `plan.json`
 * (the whole plan, identical everywhere) and `weights.bin` (its share of the weights, float32 LE);
 * `aggregator/` with `manifest.json` (gather plan, dense split) and `plan.json`.
 */
export async function writeModnnBundleSet(options: WriteModnnBundleSetOptions): Promise<{ dir: string; deviceWeightBytes: number[]; planBytes: number }> {
  const { dir, plan } = options;
  if (options.deviceClasses.length !== plan.devices)
    throw new ModnnError('E_OPTION_INVALID', `deviceClasses: needs ${plan.devices} names, got ${options.deviceClasses.length}`);
  const planBytes = new TextEncoder().encode(JSON.stringify(plan));
  const planSha = sha256(planBytes);
  const [height, width, channels] = plan.graph.nodes[0].shape;
  const deviceWeightBytes: number[] = [];
  for (let d = 0; d < plan.devices; d += 1) {
    const share = deviceWeights(plan, options.weights, d);
    const entries: WeightEntry[] = [];
    let offset = 0;
    for (const [node, arrays] of Object.entries(share.arrays)) {
      for (const [role, w] of Object.entries(arrays)) {
        entries.push({ node, role, shape: w.shape, offset });
        offset += w.values.length * 4;
      }
    }
    const bin = new Uint8Array(offset);
    const view = new DataView(bin.buffer);
    for (const e of entries) share.arrays[e.node][e.role].values.forEach((x, i) => view.setFloat32(e.offset + i * 4, x, true));
    const rowsByHeight: Record<string, [number, number]> = {};
    for (const t of Object.values(plan.tensors)) rowsByHeight[String(t.shape[0])] = [t.bands[d].start, t.bands[d].end];
    const manifest: ModnnDeviceManifest = {
      format: MODNN_DEVICE_FORMAT,
      version: 1,
      method: 'modnn',
      deviceIndex: d,
      devices: plan.devices,
      deviceClass: options.deviceClasses[d],
      input: { height, width, channels, layout: 'NHWC', mean: [...options.mean], std: [...options.std] },
      band: {
        rowsByHeight,
        denseUnits: [plan.denseUnits[d].start, plan.denseUnits[d].end],
        sends: plan.messages.filter((m) => m.from === d).map((m) => m.id),
        receives: plan.messages.filter((m) => m.to === d).map((m) => m.id),
      },
      macs: plan.programs[d].reduce((n, s) => n + (s.op === 'compute' ? s.macs : 0), 0),
      params: offset / 4,
      files: { plan: MODNN_FILES.plan, weights: MODNN_FILES.weights },
      weights: entries,
      epsilon: share.epsilon,
      sha256: { [MODNN_FILES.plan]: planSha, [MODNN_FILES.weights]: sha256(bin) },
    };
    const sub = modnnDeviceDir(dir, d);
    await mkdir(sub, { recursive: true });
    await writeAtomic(join(sub, MODNN_FILES.weights), bin);
    await writeAtomic(join(sub, MODNN_FILES.plan), planBytes);
    await writeAtomic(join(sub, MODNN_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    deviceWeightBytes.push(bin.byteLength);
  }
  const ids = (kind: string): number[] => plan.messages.filter((m) => m.kind === kind).map((m) => m.id);
  const aggregator: ModnnAggregatorManifest = {
    format: MODNN_AGGREGATOR_FORMAT,
    version: 1,
    method: 'modnn',
    devices: plan.devices,
    classes: plan.graph.nodes[plan.graph.nodes.length - 1].shape[0],
    denseUnits: plan.denseUnits.map((u) => [u.start, u.end]),
    gather: { partials: ids('partial'), pooled: ids('pooled'), logits: ids('logits') },
    files: { plan: MODNN_FILES.plan },
    ...(options.labels ? { labels: [...options.labels] } : {}),
    sha256: { [MODNN_FILES.plan]: planSha },
  };
  const agg = join(dir, MODNN_FILES.aggregator);
  await mkdir(agg, { recursive: true });
  await writeAtomic(join(agg, MODNN_FILES.plan), planBytes);
  await writeAtomic(join(agg, MODNN_FILES.manifest), `${JSON.stringify(aggregator, null, 2)}\n`);
  const set: ModnnSetManifest = {
    format: 'wearnet-bundle-set',
    version: 1,
    method: 'modnn',
    devices: plan.devices,
    parts: 0,
    createdAt: options.createdAt ?? new Date().toISOString(),
    ...(options.source ? { source: options.source } : {}),
  };
  await writeAtomic(join(dir, MODNN_FILES.set), `${JSON.stringify(set, null, 2)}\n`);
  return { dir, deviceWeightBytes, planBytes: planBytes.byteLength };
}

async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new ModnnError('E_BUNDLE_MISSING', `cannot read ${path}`, { cause });
  }
}

async function readJson(path: string): Promise<unknown> {
  const bytes = await readBytes(path);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new ModnnError('E_BUNDLE_INVALID', `${path} is not valid JSON`, { cause });
  }
}

function checkHash(path: string, bytes: Uint8Array, expected: string | undefined): void {
  if (sha256(bytes) !== expected) throw new ModnnError('E_BUNDLE_HASH_MISMATCH', `${path} does not match its sha256 ${String(expected)}`);
}

/** Parses plan.json and checks it is exactly the plan its own graph, speeds and options give. */
function parsePlan(path: string, value: unknown): ModnnPlan {
  const p = value as Partial<ModnnPlan> | null;
  try {
    if (typeof p !== 'object' || p === null || typeof p.graph !== 'object' || !Array.isArray(p.speeds)) throw new Error('needs graph and speeds');
    const again = planModnn({
      graph: p.graph as ModnnPlan['graph'],
      speeds: p.speeds,
      bytesPerElement: p.bytesPerElement,
      inputMode: p.inputMode,
      requestBytes: p.requestBytes,
    });
    if (JSON.stringify(again) !== JSON.stringify(p)) throw new Error('is not the plan its graph, speeds and options give');
    return again;
  } catch (cause) {
    throw new ModnnError('E_BUNDLE_INVALID', `${path}: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Reads a MoDNN bundle set and checks it: manifests from `unknown`, sha256 of every plan and
 * weights file, one plan shared by all and equal to what its graph and speeds give, device indices,
 * and every weight's shape and extent against the plan.
 * @throws ModnnError `E_BUNDLE_MISSING`, `E_BUNDLE_INVALID`, `E_BUNDLE_HASH_MISMATCH`.
 */
export async function readModnnBundleSet(dir: string): Promise<ModnnBundleSet> {
  const setPath = join(dir, MODNN_FILES.set);
  const set = (await readJson(setPath)) as ModnnSetManifest;
  if (set?.format !== 'wearnet-bundle-set' || set.version !== 1 || set.method !== 'modnn' || !Number.isSafeInteger(set.devices) || set.devices < 1) {
    throw new ModnnError('E_BUNDLE_INVALID', `${setPath}: not a version-1 MoDNN bundle set (format, version, method "modnn", devices)`);
  }
  const aggDir = join(dir, MODNN_FILES.aggregator);
  const aggPath = join(aggDir, MODNN_FILES.manifest);
  const aggregator = validateModnnAggregatorManifest(await readJson(aggPath), aggPath);
  const planPath = join(aggDir, aggregator.files.plan);
  const planBytes = await readBytes(planPath);
  checkHash(planPath, planBytes, aggregator.sha256[aggregator.files.plan]);
  const plan = parsePlan(planPath, JSON.parse(planBytes.toString('utf8')));
  const planSha = aggregator.sha256[aggregator.files.plan];
  if (plan.devices !== set.devices || aggregator.devices !== set.devices)
    throw new ModnnError('E_BUNDLE_INVALID', `${aggPath}: devices disagree with set.json (${set.devices}) or the plan (${plan.devices})`);
  const agreed = JSON.stringify(plan.denseUnits.map((u) => [u.start, u.end])) === JSON.stringify(aggregator.denseUnits);
  const partials = plan.messages.filter((m) => m.kind === 'partial' && m.to === HUB).map((m) => m.id);
  if (!agreed || JSON.stringify(partials) !== JSON.stringify(aggregator.gather.partials))
    throw new ModnnError('E_BUNDLE_INVALID', `${aggPath}: denseUnits or gather disagree with the plan`);
  const nodes = nodeIndex(plan.graph);
  const devices: ModnnBundleSet['devices'] = [];
  for (let d = 0; d < set.devices; d += 1) {
    const sub = modnnDeviceDir(dir, d);
    const path = join(sub, MODNN_FILES.manifest);
    const manifest = validateModnnDeviceManifest(await readJson(path), path);
    if (manifest.deviceIndex !== d || manifest.devices !== set.devices)
      throw new ModnnError(
        'E_BUNDLE_INVALID',
        `${path}: deviceIndex ${manifest.deviceIndex} of ${manifest.devices} in directory device-${d} of ${set.devices}`,
      );
    if (manifest.sha256[manifest.files.plan] !== planSha) throw new ModnnError('E_BUNDLE_INVALID', `${path}: its plan is not the aggregator's`);
    const devicePlan = join(sub, manifest.files.plan);
    checkHash(devicePlan, await readBytes(devicePlan), planSha);
    const binPath = join(sub, manifest.files.weights);
    const bin = await readBytes(binPath);
    checkHash(binPath, bin, manifest.sha256[manifest.files.weights]);
    const weights: GraphWeights = { arrays: {}, epsilon: manifest.epsilon };
    let bytes = 0;
    for (const e of manifest.weights) {
      const node = nodes.get(e.node) as GraphNode | undefined;
      const want = node ? expectedWeightShapes(plan, node, d)[e.role] : undefined;
      if (!want || want.join() !== e.shape.join())
        throw new ModnnError(
          'E_BUNDLE_INVALID',
          `${path}: weight ${e.node}/${e.role} has shape ${e.shape.join('x')}, the plan needs ${want ? want.join('x') : 'none'}`,
        );
      const n = e.shape.reduce((a, b) => a * b, 1);
      if (e.offset % 4 !== 0 || e.offset + n * 4 > bin.byteLength)
        throw new ModnnError('E_BUNDLE_INVALID', `${path}: weight ${e.node}/${e.role} lies outside ${manifest.files.weights}`);
      const values = new Float32Array(n);
      const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
      for (let i = 0; i < n; i += 1) values[i] = view.getFloat32(e.offset + i * 4, true);
      (weights.arrays[e.node] ??= {})[e.role] = { shape: e.shape, values };
      bytes += n * 4;
    }
    if (bytes !== bin.byteLength)
      throw new ModnnError('E_BUNDLE_INVALID', `${path}: weights cover ${bytes} of ${bin.byteLength} bytes of ${manifest.files.weights}`);
    try {
      checkDeviceWeights(plan, weights, d);
    } catch (cause) {
      throw new ModnnError('E_BUNDLE_INVALID', `${path}: ${(cause as Error).message}`, { cause });
    }
    if (bandRows(plan.denseUnits[d]) !== manifest.band.denseUnits[1] - manifest.band.denseUnits[0])
      throw new ModnnError('E_BUNDLE_INVALID', `${path}: band.denseUnits disagree with the plan`);
    devices.push({ manifest, weights });
  }
  return { set, plan, aggregator, devices };
}
