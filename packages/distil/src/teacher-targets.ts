import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { augmentationViews, IMAGE_BYTES, type ImageSource } from '@wearnet/data';
import { DistilError, optionError } from './errors';
import { TargetsPool } from './targets-pool';

/** `manifest.json` of a teacher-targets directory. */
export interface TargetsManifest {
  format: 'wearnet-teacher-targets';
  version: 1;
  /** sha256 of the teacher's weights file: targets of another teacher are refused. */
  teacherSha256: string;
  teacherDir: string;
  /** Training images covered (indices 0..count-1 of the split). */
  count: number;
  /** sha256 of the covered images' bytes: targets of other images are refused. */
  pixelsSha256: string;
  views: number;
  seed: number;
  cropPadding: number;
  flip: boolean;
  classes: number;
  /** Spatial positions of the final-conv map (8 x 8 = 64) and its filters. */
  positions: number;
  filters: number;
  /** sha256 of `augment.bin` and of each `view-NNN.bin` that is complete. */
  files: Record<string, string>;
  backend?: string;
  createdAt: string;
}

/** Options of {@link buildTeacherTargets}. */
export interface BuildTargetsOptions {
  /** Teacher run directory (holds `model/`). */
  teacherDir: string;
  /** Training split (images 0..count-1 are covered). */
  train: ImageSource;
  /** Precomputed augmented views per image; default 8. */
  views?: number;
  /** Seed of the augmentation draws; default 1. */
  seed?: number;
  cropPadding?: number;
  flip?: boolean;
  outDir: string;
  /** Worker threads; default 2. */
  workers?: number;
  /** Images per inference batch; default 100. */
  batchSize?: number;
  backend?: string;
  /** Called after each view with views done. */
  onView?: (done: number, total: number, seconds: number) => void;
}

/**
 * The outputs of a frozen teacher that distillation needs, computed once per augmented view of every
 * training image and kept on disk: logits and the squared final-conv features per position and filter
 * (from which attention transfer's map of any partition is a sum). File layout (docs/BUNDLES.md,
 * "Teacher targets"): `augment.bin` (int8 dy, dx, mirror per view and image), `view-NNN.bin` (float32
 * LE: count x classes logits, then count x positions x filters energies), `manifest.json`.
 * A view already written whose bytes match its recorded sha256 is kept, so an interrupted build
 * resumes and a damaged view is computed again.
 */
export async function buildTeacherTargets(options: BuildTargetsOptions): Promise<TargetsManifest> {
  const views = options.views ?? 8;
  const seed = options.seed ?? 1;
  const cropPadding = options.cropPadding ?? 4;
  const flip = options.flip ?? true;
  const workers = options.workers ?? 2;
  const batchSize = options.batchSize ?? 100;
  const count = options.train.count;
  if (!(Number.isInteger(workers) && workers >= 1 && workers <= 16)) throw optionError('workers', `must be an integer in 1..16, got ${workers}`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw optionError('batchSize', `must be a positive integer, got ${batchSize}`);
  const table = augmentationViews({ count, views, seed, cropPadding, flip });
  const teacherSha256 = await teacherWeightsSha256(options.teacherDir);
  const pixels = new SharedArrayBuffer(count * IMAGE_BYTES);
  new Uint8Array(pixels).set(options.train.pixels.subarray(0, count * IMAGE_BYTES));
  const pixelsSha256 = createHash('sha256').update(new Uint8Array(pixels)).digest('hex');
  await mkdir(options.outDir, { recursive: true });
  const previous = await readTargetsManifest(options.outDir).catch(() => undefined);
  const same =
    previous !== undefined &&
    previous.teacherSha256 === teacherSha256 &&
    previous.pixelsSha256 === pixelsSha256 &&
    previous.seed === seed &&
    previous.cropPadding === cropPadding &&
    previous.flip === flip &&
    previous.count === count;
  const files: Record<string, string> = same ? { ...previous.files } : {};
  const tableBytes = new Uint8Array(table.buffer);
  files['augment.bin'] = createHash('sha256').update(tableBytes).digest('hex');
  await writeAtomic(join(options.outDir, 'augment.bin'), tableBytes);
  const shared = new SharedArrayBuffer(table.byteLength);
  new Int8Array(shared).set(table);

  const pool = await TargetsPool.start(workers, {
    teacherDir: options.teacherDir,
    count,
    cropPadding,
    pixels,
    table: shared,
    ...(options.backend !== undefined ? { backend: options.backend } : {}),
  });
  try {
    const { classes, positions, filters } = pool.shape;
    const manifest = (): TargetsManifest => ({
      format: 'wearnet-teacher-targets',
      version: 1,
      teacherSha256,
      teacherDir: options.teacherDir,
      count,
      pixelsSha256,
      views,
      seed,
      cropPadding,
      flip,
      classes,
      positions,
      filters,
      files,
      ...(options.backend !== undefined ? { backend: options.backend } : {}),
      createdAt: new Date().toISOString(),
    });
    for (let v = 0; v < views; v++) {
      const name = viewFile(v);
      if (files[name] !== undefined && (await streamSha256(join(options.outDir, name)).catch(() => '')) === files[name]) continue;
      const t0 = performance.now();
      await pool.runView(v, batchSize);
      const bytes = pool.viewBytes();
      files[name] = sha256Parts(bytes);
      await writeAtomic(join(options.outDir, name), ...bytes);
      await writeAtomic(join(options.outDir, 'manifest.json'), Buffer.from(`${JSON.stringify(manifest(), null, 2)}\n`));
      options.onView?.(v + 1, views, (performance.now() - t0) / 1000);
    }
    const final = manifest();
    await writeAtomic(join(options.outDir, 'manifest.json'), Buffer.from(`${JSON.stringify(final, null, 2)}\n`));
    return final;
  } finally {
    await pool.close();
  }
}

/** Name of view v's file. */
function viewFile(v: number): string {
  return `view-${String(v).padStart(3, '0')}.bin`;
}

function sha256Parts(parts: Uint8Array[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** sha256 of a (large) file, read in chunks. */
async function streamSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 24 }) as AsyncIterable<Buffer>) h.update(chunk);
  return h.digest('hex');
}

/**
 * sha256 of a teacher run's weights (`model/weights.bin`): what identifies the teacher wherever its directory is.
 * @throws DistilError `E_TEACHER_INVALID` when the file cannot be read.
 */
export async function teacherWeightsSha256(teacherDir: string): Promise<string> {
  return fileSha256(join(teacherDir, 'model', 'weights.bin')).catch((cause: unknown) => {
    throw new DistilError('E_TEACHER_INVALID', `no teacher weights in ${teacherDir}/model`, { cause });
  });
}

async function fileSha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

async function writeAtomic(path: string, ...parts: Uint8Array[]): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w');
  try {
    for (const p of parts) await fh.write(p);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

/** Reads and checks `manifest.json` of a targets directory. */
export async function readTargetsManifest(dir: string): Promise<TargetsManifest> {
  let m: TargetsManifest;
  try {
    m = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as TargetsManifest;
  } catch (cause) {
    throw new DistilError('E_TARGETS_INVALID', `${dir}/manifest.json is missing or not JSON`, { cause });
  }
  if (m === null || typeof m !== 'object' || m.format !== 'wearnet-teacher-targets' || m.version !== 1) {
    throw new DistilError('E_TARGETS_INVALID', `${dir}/manifest.json is not a wearnet teacher-targets manifest`);
  }
  for (const k of ['count', 'views', 'classes', 'positions', 'filters'] as const) {
    if (!(Number.isInteger(m[k]) && m[k] >= 1)) throw new DistilError('E_TARGETS_INVALID', `${dir}/manifest.json: ${k} must be a positive integer`);
  }
  return m;
}

/** Teacher targets of one run, derived for its partition, shared with the training workers. */
export interface RunTargets {
  views: number;
  count: number;
  classes: number;
  /** Parts of the partition (attention maps per image and view). */
  parts: number;
  positions: number;
  /** Floats per (view, image): classes logits, then parts x positions L2-normalised attention maps. */
  stride: number;
  /** `views * count * stride` float32; entry (v, i) at `(v * count + i) * stride`. */
  data: SharedArrayBuffer;
  /** `views * count * 3` int8 augmentations (the views the targets were computed on). */
  table: SharedArrayBuffer;
  /** What identifies these targets in a run's configuration (teacher, images, views, seed). */
  id: { teacherSha256: string; pixelsSha256: string; views: number; seed: number };
}

/** Options of {@link loadRunTargets}. */
export interface LoadTargetsOptions {
  dir: string;
  /** Teacher filter indices of each part. */
  parts: number[][];
  /** The run's training split: it must be the images the targets were computed on. */
  train: ImageSource;
  /** The run's teacher directory: its weights must be the ones the targets came from. */
  teacherDir: string;
  /** Use only the first this many views; default all. */
  views?: number;
}

/**
 * Reads a targets directory and derives what one run needs: per view and image the teacher's logits
 * and, per part, attention transfer's teacher map (the channel mean of squared features over the
 * part's filters, L2-normalised over positions). Checks every file's sha256 while reading and refuses
 * targets of another teacher or other images with `E_TARGETS_MISMATCH`, damaged or non-finite ones with
 * `E_TARGETS_INVALID`.
 */
export async function loadRunTargets(options: LoadTargetsOptions): Promise<RunTargets> {
  const m = await readTargetsManifest(options.dir);
  const views = options.views ?? m.views;
  if (!(Number.isInteger(views) && views >= 1 && views <= m.views)) throw optionError('views', `must be an integer in 1..${m.views}, got ${views}`);
  const count = options.train.count;
  if (count !== m.count) throw new DistilError('E_TARGETS_MISMATCH', `${options.dir} covers ${m.count} training images, the run has ${count}`);
  const pixelsSha256 = createHash('sha256')
    .update(options.train.pixels.subarray(0, count * IMAGE_BYTES))
    .digest('hex');
  if (pixelsSha256 !== m.pixelsSha256) throw new DistilError('E_TARGETS_MISMATCH', `${options.dir} was computed on other training images`);
  const teacherSha256 = await fileSha256(join(options.teacherDir, 'model', 'weights.bin')).catch(() => '');
  if (teacherSha256 !== m.teacherSha256)
    throw new DistilError('E_TARGETS_MISMATCH', `${options.dir} was computed from another teacher than ${options.teacherDir}`);
  for (const part of options.parts) {
    for (const f of part)
      if (!(Number.isInteger(f) && f >= 0 && f < m.filters))
        throw new DistilError('E_PARTITION_MISMATCH', `filter ${f} is not one of the teacher's ${m.filters}`);
  }
  const tableBytes = await readFile(join(options.dir, 'augment.bin')).catch((cause: unknown) => {
    throw new DistilError('E_TARGETS_INVALID', `${options.dir}/augment.bin is missing`, { cause });
  });
  if (createHash('sha256').update(tableBytes).digest('hex') !== m.files['augment.bin'] || tableBytes.byteLength !== m.views * count * 3) {
    throw new DistilError('E_TARGETS_INVALID', `${options.dir}/augment.bin does not match its manifest`);
  }
  const table = new SharedArrayBuffer(views * count * 3);
  new Uint8Array(table).set(tableBytes.subarray(0, views * count * 3));
  const M = options.parts.length;
  const stride = m.classes + M * m.positions;
  const data = new SharedArrayBuffer(views * count * stride * 4);
  const out = new Float32Array(data);
  for (let v = 0; v < views; v++) await deriveView(options.dir, m, v, options.parts, out.subarray(v * count * stride, (v + 1) * count * stride));
  return { views, count, classes: m.classes, parts: M, positions: m.positions, stride, data, table, id: { teacherSha256, pixelsSha256, views, seed: m.seed } };
}

/** Streams one view file, checking its hash and values, into the run's per-image targets. */
async function deriveView(dir: string, m: TargetsManifest, v: number, parts: number[][], out: Float32Array): Promise<void> {
  const name = viewFile(v);
  const path = join(dir, name);
  const expected = m.files[name];
  if (expected === undefined) throw new DistilError('E_TARGETS_INVALID', `${path} is not complete in the manifest (build the targets again to finish it)`);
  const { classes, positions, filters, count } = m;
  const size = count * (classes + positions * filters) * 4;
  const st = await stat(path).catch((cause: unknown) => {
    throw new DistilError('E_TARGETS_INVALID', `${path} is missing`, { cause });
  });
  if (st.size !== size) throw new DistilError('E_TARGETS_INVALID', `${path} has ${st.size} bytes, expected ${size}`);
  const stride = classes + parts.length * positions;
  const hash = createHash('sha256');
  const perImage = positions * filters;
  const sums = new Float64Array(parts.length * positions);
  let offset = 0; // bytes consumed
  let carry = Buffer.alloc(0);
  const logitBytes = count * classes * 4;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 24 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    let buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = offset - carry.length;
    // Logits: copied through, 4 bytes each.
    while (start < logitBytes && buf.length >= 4) {
      const n = Math.min(Math.floor(buf.length / 4), (logitBytes - start) / 4);
      const f = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + n * 4));
      for (let j = 0; j < n; j++) {
        const k = start / 4 + j;
        const img = Math.floor(k / classes);
        if (!Number.isFinite(f[j])) throw new DistilError('E_TARGETS_INVALID', `${path}: non-finite logit of image ${img}`);
        out[img * stride + (k % classes)] = f[j];
      }
      start += n * 4;
      buf = buf.subarray(n * 4);
    }
    // Energies: one image (positions x filters floats) at a time.
    const imageBytes = perImage * 4;
    while (start >= logitBytes && buf.length >= imageBytes) {
      const img = (start - logitBytes) / imageBytes;
      const e = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + imageBytes));
      partMaps(e, parts, positions, filters, sums, path, img);
      const o = img * stride + classes;
      for (let j = 0; j < sums.length; j++) out[o + j] = sums[j];
      start += imageBytes;
      buf = buf.subarray(imageBytes);
    }
    offset += chunk.length;
    carry = Buffer.from(buf);
  }
  if (hash.digest('hex') !== expected)
    throw new DistilError('E_TARGETS_INVALID', `${path} does not match the sha256 in its manifest (damaged; build it again)`);
}

/** Attention maps of one image's energies [positions][filters] for each part, L2-normalised (as `attentionMap`). */
function partMaps(e: Float32Array, parts: number[][], positions: number, filters: number, out: Float64Array, path: string, img: number): void {
  parts.forEach((part, p) => {
    let norm = 0;
    for (let s = 0; s < positions; s++) {
      let sum = 0;
      const row = s * filters;
      for (const f of part) sum += e[row + f];
      const mean = sum / part.length;
      if (!(Number.isFinite(mean) && mean >= 0)) throw new DistilError('E_TARGETS_INVALID', `${path}: energy of image ${img} is not finite and non-negative`);
      out[p * positions + s] = mean;
      norm += mean * mean;
    }
    const d = Math.sqrt(norm) + 1e-12;
    for (let s = 0; s < positions; s++) out[p * positions + s] /= d;
  });
}
