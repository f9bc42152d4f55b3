import { optionError } from './errors';
import { CHANNEL_PIXELS, IMAGE_BYTES, IMAGE_CHANNELS, IMAGE_SIDE } from './layout';
import { normalisationTable, type NormalisationOptions, type PerChannel } from './normalise';
import type { Rng } from '@wearnet/random';

/** Images in the official CHW record order; a `Cifar100Split` is one. */
export interface ImageSource {
  /** Number of images. */
  count: number;
  /** `count * IMAGE_BYTES` bytes, image i at `i * IMAGE_BYTES`: 1024 R, 1024 G, 1024 B, rows of 32. */
  pixels: Uint8Array;
}

/**
 * Training augmentation: random crop of the image padded by `cropPadding` pixels on every side,
 * then random horizontal flip (the usual CIFAR recipe, in that order). Per image, three draws in
 * this order: vertical offset `rng.nextInt(2p + 1)`, horizontal offset `rng.nextInt(2p + 1)`, flip
 * `rng.nextInt(2) === 1` (the flip draw happens only when `flip` is on; no offset draws when p = 0).
 */
export interface AugmentOptions {
  /** Random source; advanced by the draws above, so the same rng state gives the same batch. */
  rng: Rng;
  /** Padding of the random crop, pixels, 0..32; default 4; 0 turns cropping off. */
  cropPadding?: number;
  /** Flip each image left-right with probability 1/2; default true. */
  flip?: boolean;
  /**
   * Value of padded pixels: `'zero'` (default) writes 0 in normalised space, i.e. the dataset mean
   * colour; `'black'` writes the normalised value of byte 0 (what padding the image before
   * normalising, as torchvision does, gives).
   */
  fill?: 'zero' | 'black';
}

/**
 * A fixed augmentation per batch element (a precomputed view, see `augmentationViews`): image b is
 * shifted by `dy[b]`, `dx[b]` pixels and mirrored when `mirror[b]` is 1, exactly as the random draws
 * of {@link AugmentOptions} would have placed it.
 */
export interface FixedAugment {
  dy: ArrayLike<number>;
  dx: ArrayLike<number>;
  mirror: ArrayLike<number>;
  /** Padding of the crop the offsets were drawn for (offsets must lie in -p..p); default 4. */
  cropPadding?: number;
  /** Value of padded pixels, as in {@link AugmentOptions}; default `'zero'`. */
  fill?: 'zero' | 'black';
}

/** Options of {@link fillBatch}. */
export interface FillBatchOptions extends NormalisationOptions {
  /** Where the images come from. */
  split: ImageSource;
  /** Indices of the images to write, in batch order; each in 0..split.count-1. */
  indices: ArrayLike<number>;
  /** Destination, NHWC float32: image b, row y, column x, channel c at `((b * 32 + y) * 32 + x) * 3 + c`; at least `indices.length * IMAGE_BYTES` long. */
  out: Float32Array;
  /** Random crop and flip; absent = none (evaluation). */
  augment?: AugmentOptions;
  /** A fixed crop and flip per image instead of `augment` (precomputed views); not together with `augment`. */
  fixed?: FixedAugment;
}

const defaultTable = normalisationTable();

function checkIndices(indices: ArrayLike<number>, count: number): void {
  if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number') {
    throw optionError('indices', 'must be an array-like of integers', 'type');
  }
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i];
    if (!(Number.isInteger(v) && v >= 0 && v < count)) {
      throw optionError('indices', `indices[${i}] = ${String(v)} is not an image index in 0..${count - 1}`);
    }
  }
}

function checkSource(split: ImageSource): void {
  if (split === null || typeof split !== 'object' || !(split.pixels instanceof Uint8Array)) {
    throw optionError('split', 'must have pixels: Uint8Array and count', 'type');
  }
  if (!(Number.isSafeInteger(split.count) && split.count >= 0 && split.pixels.length >= split.count * IMAGE_BYTES)) {
    throw optionError('split', `count ${String(split.count)} does not match ${split.pixels.length} pixel bytes`);
  }
}

/**
 * Writes images of `split` into `out`, normalised per channel (`(byte / 255 - mean) / std`) in NHWC
 * layout, optionally augmented. Allocates nothing per image; the hot path of training.
 * @returns the number of images written (`indices.length`).
 * @throws RangeError|TypeError with code `E_OPTION_INVALID` naming a bad option.
 */
export function fillBatch(options: FillBatchOptions): number {
  const { split, indices, out, augment } = options;
  checkSource(split);
  checkIndices(indices, split.count);
  if (!(out instanceof Float32Array)) throw optionError('out', 'must be a Float32Array', 'type');
  const n = indices.length;
  if (out.length < n * IMAGE_BYTES) throw optionError('out', `holds ${out.length} values, fewer than indices.length * ${IMAGE_BYTES} = ${n * IMAGE_BYTES}`);
  const table = options.mean === undefined && options.std === undefined ? defaultTable : normalisationTable(options);
  const pixels = split.pixels;
  if (options.fixed !== undefined) {
    if (augment !== undefined) throw optionError('fixed', 'cannot be combined with augment');
    const fixed = options.fixed;
    const padding = fixed.cropPadding ?? 4;
    if (!(fixed.dy?.length >= n && fixed.dx?.length >= n && fixed.mirror?.length >= n))
      throw optionError('fixed', `needs dy, dx and mirror for ${n} images`, 'type');
    const fillValues: PerChannel = (fixed.fill ?? 'zero') === 'zero' ? [0, 0, 0] : [table[0], table[256], table[512]];
    for (let b = 0; b < n; b++) {
      const dy = fixed.dy[b];
      const dx = fixed.dx[b];
      if (!(Number.isInteger(dy) && Number.isInteger(dx) && Math.abs(dy) <= padding && Math.abs(dx) <= padding)) {
        throw optionError('fixed', `offsets (${dy}, ${dx}) of image ${b} are outside -${padding}..${padding}`);
      }
      writeAugmented(pixels, indices[b] * IMAGE_BYTES, out, b * IMAGE_BYTES, table, dy, dx, fixed.mirror[b] === 1, fillValues);
    }
    return n;
  }
  if (augment === undefined) {
    for (let b = 0; b < n; b++) writePlain(pixels, indices[b] * IMAGE_BYTES, out, b * IMAGE_BYTES, table);
    return n;
  }
  const { rng, padding, flip, fillValues } = resolveAugment(augment, table);
  const span = 2 * padding + 1;
  for (let b = 0; b < n; b++) {
    const dy = padding > 0 ? rng.nextInt(span) - padding : 0;
    const dx = padding > 0 ? rng.nextInt(span) - padding : 0;
    const mirror = flip ? rng.nextInt(2) === 1 : false;
    writeAugmented(pixels, indices[b] * IMAGE_BYTES, out, b * IMAGE_BYTES, table, dy, dx, mirror, fillValues);
  }
  return n;
}

function resolveAugment(augment: AugmentOptions, table: Float32Array): { rng: Rng; padding: number; flip: boolean; fillValues: PerChannel } {
  if (augment === null || typeof augment !== 'object') throw optionError('augment', 'must be an object', 'type');
  const { rng, cropPadding = 4, flip = true, fill = 'zero' } = augment;
  if (rng === null || typeof rng !== 'object' || typeof rng.nextInt !== 'function') throw optionError('augment.rng', 'must be an Rng (see createRng)', 'type');
  if (!(Number.isInteger(cropPadding) && cropPadding >= 0 && cropPadding <= IMAGE_SIDE)) {
    throw optionError('augment.cropPadding', `must be an integer in 0..${IMAGE_SIDE}, got ${String(cropPadding)}`);
  }
  if (typeof flip !== 'boolean') throw optionError('augment.flip', 'must be a boolean', 'type');
  if (fill !== 'zero' && fill !== 'black') throw optionError('augment.fill', `must be 'zero' or 'black', got ${String(fill)}`);
  const fillValues: PerChannel = fill === 'zero' ? [0, 0, 0] : [table[0], table[256], table[512]];
  return { rng, padding: cropPadding, flip, fillValues };
}

/** One image, no augmentation: CHW bytes to normalised NHWC floats. */
function writePlain(pixels: Uint8Array, src: number, out: Float32Array, dst: number, table: Float32Array): void {
  const g = src + CHANNEL_PIXELS;
  const bl = g + CHANNEL_PIXELS;
  for (let p = 0, o = dst; p < CHANNEL_PIXELS; p++, o += IMAGE_CHANNELS) {
    out[o] = table[pixels[src + p]];
    out[o + 1] = table[256 + pixels[g + p]];
    out[o + 2] = table[512 + pixels[bl + p]];
  }
}

/**
 * One augmented image. Output pixel (y, x) takes source pixel (y + dy, xs + dx) where xs = 31 - x
 * when mirrored, else x; sources outside the image give `fillValues`.
 */
function writeAugmented(
  pixels: Uint8Array,
  src: number,
  out: Float32Array,
  dst: number,
  table: Float32Array,
  dy: number,
  dx: number,
  mirror: boolean,
  fillValues: PerChannel,
): void {
  const last = IMAGE_SIDE - 1;
  const f0 = fillValues[0];
  const f1 = fillValues[1];
  const f2 = fillValues[2];
  // Output columns whose source column lies inside the image.
  const xLo = mirror ? Math.max(0, dx) : Math.max(0, -dx);
  const xHi = mirror ? Math.min(last, last + dx) : Math.min(last, last - dx);
  for (let y = 0; y < IMAGE_SIDE; y++) {
    const sy = y + dy;
    let o = dst + y * IMAGE_SIDE * IMAGE_CHANNELS;
    if (sy < 0 || sy > last) {
      for (let x = 0; x < IMAGE_SIDE; x++, o += IMAGE_CHANNELS) {
        out[o] = f0;
        out[o + 1] = f1;
        out[o + 2] = f2;
      }
      continue;
    }
    const row = src + sy * IMAGE_SIDE;
    let x = 0;
    for (; x < xLo; x++, o += IMAGE_CHANNELS) {
      out[o] = f0;
      out[o + 1] = f1;
      out[o + 2] = f2;
    }
    if (mirror) {
      for (let p = row + last - x + dx; x <= xHi; x++, p--, o += IMAGE_CHANNELS) {
        out[o] = table[pixels[p]];
        out[o + 1] = table[256 + pixels[p + CHANNEL_PIXELS]];
        out[o + 2] = table[512 + pixels[p + 2 * CHANNEL_PIXELS]];
      }
    } else {
      for (let p = row + x + dx; x <= xHi; x++, p++, o += IMAGE_CHANNELS) {
        out[o] = table[pixels[p]];
        out[o + 1] = table[256 + pixels[p + CHANNEL_PIXELS]];
        out[o + 2] = table[512 + pixels[p + 2 * CHANNEL_PIXELS]];
      }
    }
    for (; x < IMAGE_SIDE; x++, o += IMAGE_CHANNELS) {
      out[o] = f0;
      out[o + 1] = f1;
      out[o + 2] = f2;
    }
  }
}

/** Labels readable by {@link fillLabels}; a `Cifar100Split` is one. */
export interface LabelSource {
  /** Fine label (0..99) per image. */
  fine: Uint8Array;
  /** Coarse label (0..19) per image. */
  coarse: Uint8Array;
}

/** Options of {@link fillLabels}. */
export interface FillLabelsOptions {
  /** Where the labels come from. */
  split: LabelSource;
  /** Indices of the images, in batch order (the same as given to `fillBatch`). */
  indices: ArrayLike<number>;
  /** Destination, one label per index; at least `indices.length` long. */
  out: Int32Array | Float32Array | Uint8Array | Uint16Array | Uint32Array;
  /** Which labels: `'fine'` (default, 100 classes) or `'coarse'` (20 classes). */
  label?: 'fine' | 'coarse';
}

function pickLabels(split: LabelSource, label: unknown): { labels: Uint8Array; classes: number } {
  if (label !== undefined && label !== 'fine' && label !== 'coarse') throw optionError('label', `must be 'fine' or 'coarse', got ${String(label)}`);
  if (split === null || typeof split !== 'object' || !(split.fine instanceof Uint8Array) || !(split.coarse instanceof Uint8Array)) {
    throw optionError('split', 'must have fine and coarse: Uint8Array', 'type');
  }
  return label === 'coarse' ? { labels: split.coarse, classes: 20 } : { labels: split.fine, classes: 100 };
}

/**
 * Writes the integer label of each indexed image into `out` (e.g. an Int32Array for a sparse
 * cross-entropy).
 * @returns the number of labels written.
 */
export function fillLabels(options: FillLabelsOptions): number {
  const { split, indices, out } = options;
  const { labels } = pickLabels(split, options.label);
  checkIndices(indices, labels.length);
  if (!ArrayBuffer.isView(out)) throw optionError('out', 'must be a typed array', 'type');
  const n = indices.length;
  if (out.length < n) throw optionError('out', `holds ${out.length} values, fewer than indices.length = ${n}`);
  for (let b = 0; b < n; b++) out[b] = labels[indices[b]];
  return n;
}

/** Options of {@link fillOneHot}. */
export interface FillOneHotOptions {
  /** Where the labels come from. */
  split: LabelSource;
  /** Indices of the images, in batch order. */
  indices: ArrayLike<number>;
  /** Destination, `indices.length * classes` floats, row b for image b. */
  out: Float32Array;
  /** Which labels: `'fine'` (default, 100 classes) or `'coarse'` (20 classes). */
  label?: 'fine' | 'coarse';
  /** Label smoothing in [0, 1): the true class gets `1 - smoothing + smoothing / classes`, others `smoothing / classes`; default 0. */
  smoothing?: number;
}

/**
 * Writes one-hot (optionally smoothed) label rows of the indexed images into `out`.
 * @returns the number of rows written.
 */
export function fillOneHot(options: FillOneHotOptions): number {
  const { split, indices, out, smoothing = 0 } = options;
  const { labels, classes } = pickLabels(split, options.label);
  checkIndices(indices, labels.length);
  if (!(out instanceof Float32Array)) throw optionError('out', 'must be a Float32Array', 'type');
  if (!(typeof smoothing === 'number' && smoothing >= 0 && smoothing < 1)) throw optionError('smoothing', `must be in [0, 1), got ${String(smoothing)}`);
  const n = indices.length;
  if (out.length < n * classes) throw optionError('out', `holds ${out.length} values, fewer than indices.length * ${classes} = ${n * classes}`);
  const off = smoothing / classes;
  const on = 1 - smoothing + off;
  out.fill(off, 0, n * classes);
  for (let b = 0; b < n; b++) out[b * classes + labels[indices[b]]] = on;
  return n;
}
