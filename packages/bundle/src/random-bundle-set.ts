import * as path from 'node:path';
import { AGGREGATOR_DIR, deviceDir, writeAggregatorBundle, writeDeviceManifest, writeSetManifest } from './files';
import type { AggregatorManifest } from './manifests';

/** Options of {@link writeRandomBundleSet}. */
export interface RandomBundleSetOptions {
  /** Output directory (created). */
  dir: string;
  /** Number of devices K; default 8. */
  devices?: number;
  /** Number of parts M; default K for `nonn`, K/2 for `averaging`. */
  parts?: number;
  /** Fusion the set imitates: `averaging` (student i mimics part i mod M, part-average) or `nonn` (one part per device, concat). Default `averaging`. */
  method?: 'averaging' | 'nonn';
  /** Total fused width, split as evenly as possible over the parts; default 256. */
  fusedWidth?: number;
  /** Student backbone widths at 32, 16, 8 pixels; default [16, 32, 64]. */
  studentWidths?: [number, number, number];
  /** Number of classes; default 100. */
  classes?: number;
  /** Seed of every initialiser; default 1. */
  seed?: number;
  /** Per-channel normalisation written into the device manifests; default CIFAR-100's. */
  mean?: [number, number, number];
  std?: [number, number, number];
}

/** What {@link writeRandomBundleSet} wrote. */
export interface RandomBundleSetResult {
  dir: string;
  devices: number;
  parts: number;
  partWidths: number[];
  /** MACs per image of each student. */
  macs: number[];
}

const CIFAR100_MEAN: [number, number, number] = [0.5071, 0.4865, 0.4409];
const CIFAR100_STD: [number, number, number] = [0.2673, 0.2564, 0.2762];

/**
 * Writes a *randomly initialised* bundle set with the shapes of a real one (plain student CNNs
 * from `@wearnet/models`, 1x1 bridge to the part width, BN, ReLU, global average pool; a random
 * linear head), with real MACs and parameter counts. For development and tests until trained
 * bundles exist; its accuracy is chance. Loads TensorFlow.js on first call.
 */
export async function writeRandomBundleSet(options: RandomBundleSetOptions): Promise<RandomBundleSetResult> {
  const method = options.method ?? 'averaging';
  if (method !== 'averaging' && method !== 'nonn') throw new RangeError(`method must be averaging or nonn, got ${String(method)}`);
  const devices = options.devices ?? 8;
  if (!Number.isInteger(devices) || devices < 1 || devices > 256) throw new RangeError(`devices must be an integer in 1..256, got ${devices}`);
  const parts = options.parts ?? (method === 'nonn' ? devices : Math.max(1, Math.floor(devices / 2)));
  if (!Number.isInteger(parts) || parts < 1 || parts > devices) throw new RangeError(`parts must be an integer in 1..devices, got ${parts}`);
  if (method === 'nonn' && parts !== devices) throw new RangeError(`parts must equal devices (${devices}) for nonn, got ${parts}`);
  const fusedWidth = options.fusedWidth ?? 256;
  if (!Number.isInteger(fusedWidth) || fusedWidth < parts) throw new RangeError(`fusedWidth must be an integer >= parts, got ${fusedWidth}`);
  const classes = options.classes ?? 100;
  if (!Number.isInteger(classes) || classes < 2) throw new RangeError(`classes must be an integer >= 2, got ${classes}`);
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);

  // Required lazily so that readers of bundles (the aggregator) never load TensorFlow.js.
  const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
  const { initRuntime, saveModelToDir } = require('@wearnet/runtime') as typeof import('@wearnet/runtime');
  const { buildStudent, countModel } = require('@wearnet/models') as typeof import('@wearnet/models');
  await initRuntime();

  const partWidths = Array.from({ length: parts }, (_, p) => Math.floor(fusedWidth / parts) + (p < fusedWidth % parts ? 1 : 0));
  const devicePart = Array.from({ length: devices }, (_, i) => i % parts);
  const macs: number[] = [];
  for (let i = 0; i < devices; i += 1) {
    const part = devicePart[i];
    const student = buildStudent({ partWidth: partWidths[part], widths: options.studentWidths, seed: seed * 1000 + i, prefix: `s${i}_` });
    const vectorModel = tf.model({ inputs: student.model.inputs, outputs: student.model.outputs[1], name: `device${i}` });
    const cost = countModel(vectorModel);
    const dir = deviceDir(options.dir, i);
    const saved = await saveModelToDir(vectorModel, dir);
    student.model.dispose();
    macs.push(cost.macs);
    await writeDeviceManifest(dir, {
      format: 'wearnet-device-bundle',
      version: 1,
      deviceIndex: i,
      part,
      method: 'random',
      input: { height: 32, width: 32, channels: 3, layout: 'NHWC', mean: [...(options.mean ?? CIFAR100_MEAN)], std: [...(options.std ?? CIFAR100_STD)] },
      output: { length: partWidths[part] },
      macs: cost.macs,
      params: cost.params,
      files: { model: 'model.json', weights: 'weights.bin' },
      sha256: Object.fromEntries(Object.entries(saved.files).map(([name, file]) => [name, file.sha256])),
    });
  }
  const inputs = fusedWidth;
  const rng = mulberry32(seed);
  const scale = Math.sqrt(6 / (inputs + classes));
  const weights = Float32Array.from({ length: inputs * classes }, () => (rng() * 2 - 1) * scale);
  const bias = new Float32Array(classes);
  const manifest: Omit<AggregatorManifest, 'sha256'> = {
    format: 'wearnet-aggregator-bundle',
    version: 1,
    method: 'random',
    devices,
    parts,
    devicePart,
    partWidths,
    fusion: method === 'averaging' ? 'part-average' : 'concat',
    classes,
    head: { file: 'head.bin', inputs, outputs: classes },
  };
  await writeAggregatorBundle(path.join(options.dir, AGGREGATOR_DIR), manifest, { inputs, outputs: classes, weights, bias });
  await writeSetManifest(options.dir, { format: 'wearnet-bundle-set', version: 1, method: 'random', devices, parts, createdAt: new Date().toISOString() });
  return { dir: options.dir, devices, parts, partWidths, macs };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
