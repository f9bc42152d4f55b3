import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { RuntimeError } from './errors';

/** File names of a saved LayersModel inside its directory. */
export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/** One written file: its size and sha256. */
export interface SavedFile {
  bytes: number;
  sha256: string;
}

/** Result of {@link saveModelToDir}: every written file by name. */
export interface SaveModelResult {
  files: Record<string, SavedFile>;
}

/** sha256 of bytes, as lowercase hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function writeAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

/**
 * Saves a LayersModel as TensorFlow.js artifacts (`model.json` + `weights.bin`) into `dir`,
 * creating it; each file is written atomically (temp file + rename).
 */
export async function saveModelToDir(model: LayersModel, dir: string): Promise<SaveModelResult> {
  await mkdir(dir, { recursive: true });
  let result: SaveModelResult | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData ?? new ArrayBuffer(0);
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(weightData));
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      const jsonBytes = new TextEncoder().encode(JSON.stringify(modelJson));
      await writeAtomic(join(dir, WEIGHTS_FILE), weights);
      await writeAtomic(join(dir, MODEL_FILE), jsonBytes);
      result = {
        files: {
          [MODEL_FILE]: { bytes: jsonBytes.byteLength, sha256: sha256Hex(jsonBytes) },
          [WEIGHTS_FILE]: { bytes: weights.byteLength, sha256: sha256Hex(weights) },
        },
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (result === undefined) throw new RuntimeError('E_MODEL_INVALID', `model could not be saved to ${dir}`);
  return result;
}

async function readOrThrow(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new RuntimeError('E_MODEL_MISSING', `cannot read ${path}`, { cause });
  }
}

/** Options of {@link loadModelFromDir}. */
export interface LoadModelOptions {
  /** Expected sha256 per file name; a mismatch is E_MODEL_INVALID. */
  sha256?: Record<string, string>;
}

/** Loads a LayersModel saved by {@link saveModelToDir} (or any tfjs `layers-model` with one weights file). */
export async function loadModelFromDir(dir: string, options: LoadModelOptions = {}): Promise<LayersModel> {
  const jsonPath = join(dir, MODEL_FILE);
  const jsonBytes = await readOrThrow(jsonPath);
  let parsed: { modelTopology?: unknown; weightsManifest?: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }> };
  try {
    parsed = JSON.parse(jsonBytes.toString('utf8'));
  } catch (cause) {
    throw new RuntimeError('E_MODEL_INVALID', `${jsonPath} is not valid JSON`, { cause });
  }
  const manifest = parsed.weightsManifest;
  if (parsed.modelTopology === undefined || !Array.isArray(manifest)) {
    throw new RuntimeError('E_MODEL_INVALID', `${jsonPath} has no modelTopology or weightsManifest`);
  }
  const files: Record<string, Uint8Array> = { [MODEL_FILE]: jsonBytes };
  const chunks: Uint8Array[] = [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  for (const group of manifest) {
    for (const path of group.paths) {
      const bytes = await readOrThrow(join(dir, path));
      files[path] = bytes;
      chunks.push(bytes);
    }
    specs.push(...group.weights);
  }
  for (const [name, expected] of Object.entries(options.sha256 ?? {})) {
    const bytes = files[name];
    if (bytes === undefined || sha256Hex(bytes) !== expected) {
      throw new RuntimeError('E_MODEL_INVALID', `${join(dir, name)} does not match its sha256 ${expected}`);
    }
  }
  const weightData = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of chunks) {
    weightData.set(c, offset);
    offset += c.byteLength;
  }
  try {
    return await loadLayersModel(tf.io.fromMemory({ modelTopology: parsed.modelTopology as object, weightSpecs: specs, weightData: weightData.buffer }));
  } catch (cause) {
    throw new RuntimeError('E_MODEL_INVALID', `${jsonPath} could not be loaded: ${(cause as Error).message}`, { cause });
  }
}
