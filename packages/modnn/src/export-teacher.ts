import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveDeviceClass } from '@wearnet/hardware';
import { loadModelFromDir } from '@wearnet/runtime';
import { writeModnnBundleSet } from './bundle-files';
import { ModnnError, optionError } from './errors';
import { graphFromModel } from './model-graph';
import { planModnn } from './plan';
import type { ModnnPlan } from './plan-types';

/** Options of {@link exportModnnBundles}. */
export interface ExportModnnOptions {
  /** A teacher run directory (`manifest.json`, `model/`), for example `artifacts/teacher-quick`. */
  teacherDir: string;
  /** Bundle-set directory to (re)write. */
  outDir: string;
  /** Number of devices K, >= 1. */
  devices: number;
  /** Device class of every device (one name) or of each (K names); default `cortex-m7-480`. Speeds are their `macsPerSecond`. */
  deviceClasses?: string | readonly string[];
  /** Default `local`. */
  inputMode?: 'local' | 'broadcast';
  /** Default 4 (float32). */
  bytesPerElement?: number;
  /** Input normalisation of the teacher: `(x / 255 - mean[c]) / std[c]`. */
  mean: readonly number[];
  std: readonly number[];
  labels?: readonly string[];
}

/** What {@link exportModnnBundles} wrote. */
export interface ExportModnnResult {
  dir: string;
  plan: ModnnPlan;
  deviceClasses: string[];
  deviceWeightBytes: number[];
  planBytes: number;
}

/**
 * Splits a trained teacher MoDNN-style across K devices and writes the bundle set: the plan from the
 * model's own layers and the device classes' speeds, each device's weights, the aggregator's gather
 * plan (docs/BUNDLES.md). Loads TensorFlow.js (the runtime must be initialised).
 * @throws RangeError naming a bad option; ModnnError `E_BUNDLE_MISSING` when the teacher is absent, `E_GRAPH_UNSUPPORTED`.
 */
export async function exportModnnBundles(options: ExportModnnOptions): Promise<ExportModnnResult> {
  const k = options.devices;
  if (!(Number.isSafeInteger(k) && k >= 1)) throw optionError('devices', `must be an integer >= 1, got ${String(k)}`);
  const names =
    typeof options.deviceClasses === 'string' || options.deviceClasses === undefined
      ? new Array<string>(k).fill(options.deviceClasses ?? 'cortex-m7-480')
      : [...options.deviceClasses];
  if (names.length !== k) throw optionError('deviceClasses', `needs 1 or ${k} names, got ${names.length}`);
  const speeds = names.map((name) => resolveDeviceClass({ name }).macsPerSecond);
  let teacher: Record<string, unknown> = {};
  try {
    teacher = JSON.parse(await readFile(join(options.teacherDir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new ModnnError('E_BUNDLE_MISSING', `cannot read the teacher manifest in ${options.teacherDir}`, { cause });
  }
  let model;
  try {
    model = await loadModelFromDir(join(options.teacherDir, 'model'));
  } catch (cause) {
    throw new ModnnError('E_BUNDLE_MISSING', `cannot load the teacher model in ${options.teacherDir}/model`, { cause });
  }
  try {
    const { graph, weights } = graphFromModel(model);
    const plan = planModnn({ graph, speeds, inputMode: options.inputMode, bytesPerElement: options.bytesPerElement });
    const source = { teacher: options.teacherDir, preset: teacher.preset, testAccuracy: teacher.testAccuracy, macs: teacher.macs, deviceClasses: names };
    const written = await writeModnnBundleSet({
      dir: options.outDir,
      plan,
      weights,
      deviceClasses: names,
      mean: options.mean,
      std: options.std,
      labels: options.labels,
      source,
    });
    return { dir: written.dir, plan, deviceClasses: names, deviceWeightBytes: written.deviceWeightBytes, planBytes: written.planBytes };
  } finally {
    model.dispose();
  }
}
