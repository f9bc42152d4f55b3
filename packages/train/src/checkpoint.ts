import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrainError } from './errors';

/** One finished epoch in the training history. */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss?: number;
  testAccuracy?: number;
  seconds: number;
  imagesPerSecond: number;
}

/** `state.json` of a checkpoint. */
export interface CheckpointState {
  format: 'wearnet-checkpoint';
  version: 1;
  /** Epochs completed. */
  epoch: number;
  /** Optimisation steps completed. */
  step: number;
  /** Hash of the run configuration; resuming a different configuration is refused. */
  configHash: string;
  history: EpochRecord[];
  /** Training wall time so far, seconds. */
  seconds: number;
  savedAt: string;
}

/** Stable hash of a JSON-serialisable configuration. */
export function configHash(config: unknown): string {
  return createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
}

/** Directory of the live checkpoint inside a run directory. */
export function checkpointDir(outDir: string): string {
  return join(outDir, 'checkpoint');
}

/** Reads a checkpoint's state, or undefined when there is none. */
export async function readCheckpointState(outDir: string): Promise<CheckpointState | undefined> {
  const file = join(checkpointDir(outDir), 'state.json');
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(await readFile(file, 'utf8')) as CheckpointState;
    if (state.format !== 'wearnet-checkpoint' || state.version !== 1) throw new Error('not a wearnet checkpoint');
    return state;
  } catch (cause) {
    throw new TrainError('E_CHECKPOINT_INVALID', `${file} is not a valid checkpoint state`, { cause });
  }
}

/**
 * Writes a checkpoint atomically: `write(dir)` fills `checkpoint.next/`, then it replaces
 * `checkpoint/` by renames, so a crash leaves the previous checkpoint or the new one, never half.
 */
export async function writeCheckpoint(outDir: string, state: CheckpointState, optimizer: Float32Array, write: (dir: string) => Promise<void>): Promise<void> {
  const next = join(outDir, 'checkpoint.next');
  const live = checkpointDir(outDir);
  const old = join(outDir, 'checkpoint.old');
  await rm(next, { recursive: true, force: true });
  await mkdir(next, { recursive: true });
  await write(next);
  await writeFile(join(next, 'optimizer.bin'), new Uint8Array(optimizer.buffer, optimizer.byteOffset, optimizer.byteLength));
  await writeFile(join(next, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
  await rm(old, { recursive: true, force: true });
  if (existsSync(live)) await rename(live, old);
  await rename(next, live);
  await rm(old, { recursive: true, force: true });
}

/** Reads the optimizer vector of the live checkpoint. */
export async function readCheckpointOptimizer(outDir: string): Promise<Float32Array> {
  const bytes = await readFile(join(checkpointDir(outDir), 'optimizer.bin'));
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
