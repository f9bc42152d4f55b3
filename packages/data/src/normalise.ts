import { optionError } from './errors';
import { CHANNEL_PIXELS, IMAGE_BYTES, IMAGE_CHANNELS } from './layout';

/** A value per colour channel, in R, G, B order. */
export type PerChannel = readonly [number, number, number];

/** Per-channel mean of the CIFAR-100 training images, on the 0..1 scale (R, G, B). */
export const CIFAR100_MEAN: PerChannel = Object.freeze([0.5071, 0.4865, 0.4409]) as PerChannel;
/** Per-channel standard deviation of the CIFAR-100 training images, on the 0..1 scale (R, G, B). */
export const CIFAR100_STD: PerChannel = Object.freeze([0.2673, 0.2564, 0.2762]) as PerChannel;

/** Normalisation constants; both default to the CIFAR-100 ones. */
export interface NormalisationOptions {
  /** Per-channel mean on the 0..1 scale; default {@link CIFAR100_MEAN}. */
  mean?: PerChannel;
  /** Per-channel standard deviation on the 0..1 scale, each > 0; default {@link CIFAR100_STD}. */
  std?: PerChannel;
}

function checkPerChannel(option: string, value: unknown, positive: boolean): PerChannel {
  if (!Array.isArray(value) || value.length !== IMAGE_CHANNELS) throw optionError(option, 'must be an array of 3 numbers (R, G, B)', 'type');
  for (const v of value) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw optionError(option, 'must hold finite numbers');
    if (positive && !(v > 0)) throw optionError(option, 'must hold numbers > 0');
  }
  return value as unknown as PerChannel;
}

/** Resolves mean and std, checking them. */
export function resolveNormalisation(options: NormalisationOptions = {}): { mean: PerChannel; std: PerChannel } {
  const mean = options.mean === undefined ? CIFAR100_MEAN : checkPerChannel('mean', options.mean, false);
  const std = options.std === undefined ? CIFAR100_STD : checkPerChannel('std', options.std, true);
  return { mean, std };
}

/** Normalises one pixel byte of channel `channel` (0 R, 1 G, 2 B): `(byte / 255 - mean) / std`. */
export function normaliseByte(byte: number, channel: number, options: NormalisationOptions = {}): number {
  const { mean, std } = resolveNormalisation(options);
  return (byte / 255 - mean[channel]) / std[channel];
}

/** Inverse of {@link normaliseByte}: the nearest byte, clamped to 0..255. */
export function denormaliseToByte(value: number, channel: number, options: NormalisationOptions = {}): number {
  const { mean, std } = resolveNormalisation(options);
  const byte = Math.round((value * std[channel] + mean[channel]) * 255);
  return byte < 0 ? 0 : byte > 255 ? 255 : byte;
}

/**
 * Lookup table of the normalised value of every byte of every channel: entry `c * 256 + byte`,
 * computed in float64 then stored as float32. Used by `fillBatch`; exported for other hot loops.
 */
export function normalisationTable(options: NormalisationOptions = {}): Float32Array {
  const { mean, std } = resolveNormalisation(options);
  const table = new Float32Array(IMAGE_CHANNELS * 256);
  for (let c = 0; c < IMAGE_CHANNELS; c++) {
    for (let v = 0; v < 256; v++) table[c * 256 + v] = (v / 255 - mean[c]) / std[c];
  }
  return table;
}

/** Options of {@link batchToBytes}. */
export interface BatchToBytesOptions extends NormalisationOptions {
  /** Normalised images in NHWC layout (as written by `fillBatch`), `count * IMAGE_BYTES` values at least. */
  batch: Float32Array;
  /** Number of images to convert. */
  count: number;
}

/**
 * Turns a normalised NHWC batch back into bytes in the official CHW record order (for inspection,
 * image dumps and tests): `count * IMAGE_BYTES` bytes, each rounded and clamped to 0..255.
 */
export function batchToBytes(options: BatchToBytesOptions): Uint8Array {
  const { mean, std } = resolveNormalisation(options);
  const { batch, count } = options;
  if (!(batch instanceof Float32Array)) throw optionError('batch', 'must be a Float32Array', 'type');
  if (!(Number.isSafeInteger(count) && count >= 0)) throw optionError('count', `must be a non-negative integer, got ${String(count)}`);
  if (batch.length < count * IMAGE_BYTES)
    throw optionError('batch', `holds ${batch.length} values, fewer than count * ${IMAGE_BYTES} = ${count * IMAGE_BYTES}`);
  const out = new Uint8Array(count * IMAGE_BYTES);
  for (let c = 0; c < IMAGE_CHANNELS; c++) {
    const s = std[c] * 255;
    const m = mean[c] * 255;
    for (let b = 0; b < count; b++) {
      const src = b * IMAGE_BYTES + c;
      const dst = b * IMAGE_BYTES + c * CHANNEL_PIXELS;
      for (let p = 0; p < CHANNEL_PIXELS; p++) {
        const v = Math.round(batch[src + p * IMAGE_CHANNELS] * s + m);
        out[dst + p] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return out;
}
