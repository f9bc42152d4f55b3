import { IMAGE_BYTES, loadCifar100, loadShippedTestSubset, type Split } from '@wearnet/data';
import { optionError } from './errors';

/** Which images a run uses: a contiguous slice of a CIFAR-100 split. */
export interface DatasetSpec {
  /** `shipped`: the 1000 test images shipped with `@wearnet/data` (default); `cifar100`: a data directory. */
  source: 'shipped' | 'cifar100';
  /** Data directory in the official binary layout (source `cifar100` only). */
  dir?: string;
  /** Split (source `cifar100`); the shipped subset is always `test`. Default `test`. */
  split?: Split;
  /** First record of the slice; default 0. */
  offset?: number;
  /** Records in the slice; default: to the end of the file. */
  count?: number;
}

/** A loaded slice: images in the CIFAR record layout (CHW) and their fine labels. */
export interface DatasetSlice {
  count: number;
  /** `count * IMAGE_BYTES` bytes, image i at `i * IMAGE_BYTES` (1024 R, 1024 G, 1024 B). */
  pixels: Uint8Array;
  /** Fine label of each image. */
  labels: Uint8Array;
  /** Class names by label. */
  classNames: string[];
}

/**
 * Loads a dataset slice; the device (local input mode) and the aggregator load the same slice, so
 * sample i means the same image on both.
 * @throws RangeError naming the option; DataError from `@wearnet/data` for missing files.
 */
export async function loadDatasetSlice(spec: DatasetSpec): Promise<DatasetSlice> {
  const offset = spec.offset ?? 0;
  if (!Number.isSafeInteger(offset) || offset < 0) throw optionError('dataset.offset', `must be a non-negative integer, got ${String(offset)}`);
  if (spec.count !== undefined && (!Number.isSafeInteger(spec.count) || spec.count < 1))
    throw optionError('dataset.count', `must be a positive integer, got ${String(spec.count)}`);
  const limit = spec.count === undefined ? undefined : offset + spec.count;
  let split;
  if (spec.source === 'shipped') split = await loadShippedTestSubset({ limit });
  else if (spec.source === 'cifar100') {
    if (typeof spec.dir !== 'string' || spec.dir.length === 0) throw optionError('dataset.dir', 'is required for source cifar100', 'type');
    split = await loadCifar100({ dir: spec.dir, split: spec.split ?? 'test', limit });
  } else throw optionError('dataset.source', `must be shipped or cifar100, got ${String(spec.source)}`);
  const count = split.count - offset;
  if (count < 1) throw optionError('dataset.offset', `${offset} is past the end of the file (${split.count} records)`);
  return {
    count,
    pixels: split.pixels.subarray(offset * IMAGE_BYTES, (offset + count) * IMAGE_BYTES),
    labels: split.fine.subarray(offset, offset + count),
    classNames: split.fineNames,
  };
}
