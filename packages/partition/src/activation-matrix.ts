import { PartitionError } from './errors';

/**
 * Final-conv activations, images x filters, row-major ("images-major"): the value of filter `f`
 * on image `i` is `data[i * filters + f]`. Values are the spatial means of the layer's output,
 * before any clipping or normalisation.
 */
export interface ActivationMatrix {
  /** Number of images (rows), >= 1. */
  readonly images: number;
  /** Number of filters (columns), >= 1. */
  readonly filters: number;
  /** `images * filters` finite values, row i = image i. */
  readonly data: Float32Array | Float64Array;
}

/** What the public functions accept as activations: rows of numbers or a flat matrix. */
export type ActivationsInput = ReadonlyArray<ArrayLike<number>> | ActivationMatrix;

/**
 * Validates activations and returns them as an {@link ActivationMatrix} (flat input is not copied).
 * Throws `E_EMPTY` (no image or no filter), `E_RAGGED` (rows of different lengths, or a flat
 * `data` whose length is not `images * filters`), `E_NON_FINITE` (NaN or +-Infinity, naming the
 * first offending image and filter) and `E_ACTIVATIONS_INVALID` (anything else malformed).
 */
export function toActivationMatrix(input: ActivationsInput): ActivationMatrix {
  if (Array.isArray(input)) return fromRows(input as ReadonlyArray<ArrayLike<number>>);
  if (input === null || typeof input !== 'object') {
    throw new PartitionError('E_ACTIVATIONS_INVALID', 'activations must be an array of rows or { images, filters, data }');
  }
  const { images, filters, data } = input as ActivationMatrix;
  if (!Number.isInteger(images) || !Number.isInteger(filters) || images < 0 || filters < 0) {
    throw new PartitionError('E_ACTIVATIONS_INVALID', `images and filters must be non-negative integers, got ${images} x ${filters}`);
  }
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
    throw new PartitionError('E_ACTIVATIONS_INVALID', 'activations data must be a Float32Array or Float64Array');
  }
  if (images === 0 || filters === 0) {
    throw new PartitionError('E_EMPTY', `activations are empty (${images} images x ${filters} filters)`);
  }
  if (data.length !== images * filters) {
    throw new PartitionError('E_RAGGED', `activations data has ${data.length} values, expected ${images} x ${filters} = ${images * filters}`);
  }
  assertFinite(data, filters);
  return { images, filters, data };
}

function fromRows(rows: ReadonlyArray<ArrayLike<number>>): ActivationMatrix {
  if (rows.length === 0) throw new PartitionError('E_EMPTY', 'activations have no image (no row)');
  const first = rows[0];
  if (first === null || typeof first !== 'object' || typeof first.length !== 'number') {
    throw new PartitionError('E_ACTIVATIONS_INVALID', 'activations row 0 is not an array of numbers');
  }
  const filters = first.length;
  if (filters === 0) throw new PartitionError('E_EMPTY', 'activations have no filter (row 0 is empty)');
  const data = new Float64Array(rows.length * filters);
  rows.forEach((row, i) => {
    if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
      throw new PartitionError('E_ACTIVATIONS_INVALID', `activations row ${i} is not an array of numbers`);
    }
    if (row.length !== filters) {
      throw new PartitionError('E_RAGGED', `activations row ${i} has ${row.length} values, row 0 has ${filters}`);
    }
    for (let f = 0; f < filters; f++) {
      const v = row[f];
      if (typeof v !== 'number') {
        throw new PartitionError('E_ACTIVATIONS_INVALID', `activation at image ${i}, filter ${f} is not a number`);
      }
      data[i * filters + f] = v;
    }
  });
  assertFinite(data, filters);
  return { images: rows.length, filters, data };
}

function assertFinite(data: ArrayLike<number>, filters: number): void {
  for (let k = 0; k < data.length; k++) {
    const v = data[k] as number;
    if (!Number.isFinite(v)) {
      const image = Math.floor(k / filters);
      throw new PartitionError('E_NON_FINITE', `activation at image ${image}, filter ${k - image * filters} is ${v}`);
    }
  }
}

/**
 * NoNN step 1: clips negatives at 0 and divides each image's row by its largest value (a row
 * whose values are all <= 0 stays all zero). Returns the result **filters-major**
 * (`out[f * images + i]`), the layout the graph builders read fastest.
 */
export function normaliseActivations(matrix: ActivationMatrix): Float64Array {
  const { images, filters, data } = matrix;
  const out = new Float64Array(images * filters);
  for (let i = 0; i < images; i++) {
    const row = i * filters;
    let max = 0;
    for (let f = 0; f < filters; f++) {
      const v = data[row + f] as number;
      if (v > max) max = v;
    }
    if (max <= 0) continue;
    for (let f = 0; f < filters; f++) {
      const v = data[row + f] as number;
      if (v > 0) out[f * images + i] = v / max;
    }
  }
  return out;
}
