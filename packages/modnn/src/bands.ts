import { optionError } from './errors';

/** A half-open range of rows `[start, end)`; empty when `start === end`. */
export interface RowBand {
  start: number;
  end: number;
}

/** Number of rows of a band. */
export function bandRows(band: RowBand): number {
  return band.end - band.start;
}

/**
 * Biased one-dimensional partition (MoDNN's BODP): splits `total` items into contiguous bands in
 * device order, each device's share proportional to its speed, rounded by largest remainder (ties to
 * the lower device index). A device may get an empty band when there are fewer items than devices
 * or its speed is small.
 * @param speeds relative speeds (for example MAC/s of the device classes), all positive and finite.
 */
export function biasedPartition(total: number, speeds: readonly number[]): RowBand[] {
  if (!Number.isSafeInteger(total) || total < 0) throw optionError('total', `must be a non-negative integer, got ${total}`);
  if (speeds.length === 0) throw optionError('speeds', 'needs at least one device');
  if (speeds.some((s) => !(Number.isFinite(s) && s > 0))) throw optionError('speeds', `must be positive and finite, got ${speeds.join(', ')}`);
  const sum = speeds.reduce((a, b) => a + b, 0);
  const exact = speeds.map((s) => (total * s) / sum);
  const counts = exact.map((x) => Math.floor(x));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    counts[i] += 1;
    left -= 1;
  }
  const bands: RowBand[] = [];
  let start = 0;
  for (const n of counts) {
    bands.push({ start, end: start + n });
    start += n;
  }
  return bands;
}

/** TensorFlow `same` padding along one axis: output size and the padding before the first input element. */
export function samePadding(inSize: number, kernel: number, stride: number): { outSize: number; padBefore: number; padAfter: number } {
  const outSize = Math.ceil(inSize / stride);
  const total = Math.max((outSize - 1) * stride + kernel - inSize, 0);
  const padBefore = Math.floor(total / 2);
  return { outSize, padBefore, padAfter: total - padBefore };
}

/** A `same`-padded convolution along one axis: input size, square kernel, stride. */
export interface ConvAxis {
  inSize: number;
  kernel: number;
  stride: number;
}

/**
 * Input rows (inside the map, ascending, no duplicates) that output rows `band` of a `same`-padded
 * convolution read: row r reads `r * stride - padBefore + i` for `i` in `0..kernel-1`.
 * With `kernel < stride` the set has gaps (a strided 1x1 convolution reads every `stride`-th row).
 */
export function receptiveRows(band: RowBand, conv: ConvAxis): number[] {
  const { inSize, kernel, stride } = conv;
  const { padBefore } = samePadding(inSize, kernel, stride);
  const rows = new Set<number>();
  for (let r = band.start; r < band.end; r += 1) {
    for (let i = 0; i < kernel; i += 1) {
      const y = r * stride - padBefore + i;
      if (y >= 0 && y < inSize) rows.add(y);
    }
  }
  return [...rows].sort((a, b) => a - b);
}

/** Splits ascending row indices into maximal runs of consecutive rows. */
export function rowRuns(rows: readonly number[]): RowBand[] {
  const runs: RowBand[] = [];
  for (const r of rows) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last.end === r) last.end = r + 1;
    else runs.push({ start: r, end: r + 1 });
  }
  return runs;
}
