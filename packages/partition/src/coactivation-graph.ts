import { type ActivationsInput, normaliseActivations, toActivationMatrix } from './activation-matrix';
import type { FilterGraph } from './filter-graph';

/**
 * Pearson correlation of every pair of filters over the images, computed on the NoNN-normalised
 * activations (clipped at 0, divided by each image's largest value). Returns a dense
 * `filters x filters` matrix; a filter with zero variance has correlation 0 with every filter,
 * itself included; otherwise the diagonal is 1.
 */
export function pearsonCorrelations(activations: ActivationsInput): Float64Array {
  const matrix = toActivationMatrix(activations);
  return pearsonFromNormalised(normaliseActivations(matrix), matrix.images, matrix.filters);
}

/**
 * Co-activation graph for the balanced eigenvector method: weight of {i, j} is the Pearson
 * correlation of `a_i` and `a_j` over the images when positive, 0 otherwise (see
 * {@link pearsonCorrelations} for the normalisation).
 */
export function buildPearsonGraph(activations: ActivationsInput): FilterGraph {
  const matrix = toActivationMatrix(activations);
  return pearsonGraphFromCorrelations(pearsonFromNormalised(normaliseActivations(matrix), matrix.images, matrix.filters), matrix.filters);
}

/**
 * Co-activation graph with weight `mean over images of a_i * a_j` (NoNN-normalised activations,
 * so every weight lies in [0, 1]).
 */
export function buildProductGraph(activations: ActivationsInput): FilterGraph {
  const matrix = toActivationMatrix(activations);
  return productGraphFromNormalised(normaliseActivations(matrix), matrix.images, matrix.filters);
}

/** @internal Pearson matrix from normalised filters-major activations. */
export function pearsonFromNormalised(a: Float64Array, images: number, filters: number): Float64Array {
  const z = new Float64Array(a.length);
  for (let f = 0; f < filters; f++) {
    const off = f * images;
    let mean = 0;
    let constant = true;
    for (let i = 0; i < images; i++) {
      mean += a[off + i] as number;
      if (a[off + i] !== a[off]) constant = false;
    }
    if (constant) continue; // zero variance: correlation 0 with everything
    mean /= images;
    let ss = 0;
    for (let i = 0; i < images; i++) {
      const d = (a[off + i] as number) - mean;
      ss += d * d;
    }
    const scale = 1 / Math.sqrt(ss);
    if (!Number.isFinite(scale)) continue; // variance underflows float64
    for (let i = 0; i < images; i++) z[off + i] = ((a[off + i] as number) - mean) * scale;
  }
  const r = gram(z, images, filters, 1);
  for (let k = 0; k < r.length; k++) r[k] = Math.max(-1, Math.min(1, r[k] as number));
  return r;
}

/** @internal Clips a Pearson matrix at 0 and zeroes its diagonal. */
export function pearsonGraphFromCorrelations(r: Float64Array, filters: number): FilterGraph {
  const weights = new Float64Array(filters * filters);
  for (let i = 0; i < filters; i++) {
    for (let j = 0; j < filters; j++) {
      const v = r[i * filters + j] as number;
      if (i !== j && v > 0) weights[i * filters + j] = v;
    }
  }
  return { kind: 'pearson', filters, weights };
}

/** @internal Product graph from normalised filters-major activations. */
export function productGraphFromNormalised(a: Float64Array, images: number, filters: number): FilterGraph {
  const weights = gram(a, images, filters, 1 / images);
  for (let i = 0; i < filters; i++) weights[i * filters + i] = 0;
  return { kind: 'product', filters, weights };
}

/** Symmetric `scale * X X^T` of the rows of X (filters x images), four rows at a time. */
function gram(x: Float64Array, n: number, rows: number, scale: number): Float64Array {
  const out = new Float64Array(rows * rows);
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const o0 = i * n,
      o1 = o0 + n,
      o2 = o1 + n,
      o3 = o2 + n;
    for (let j = i; j < rows; j++) {
      const oj = j * n;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let t = 0; t < n; t++) {
        const v = x[oj + t] as number;
        s0 += (x[o0 + t] as number) * v;
        s1 += (x[o1 + t] as number) * v;
        s2 += (x[o2 + t] as number) * v;
        s3 += (x[o3 + t] as number) * v;
      }
      setSym(out, rows, i, j, s0 * scale);
      if (j >= i + 1) setSym(out, rows, i + 1, j, s1 * scale);
      if (j >= i + 2) setSym(out, rows, i + 2, j, s2 * scale);
      if (j >= i + 3) setSym(out, rows, i + 3, j, s3 * scale);
    }
  }
  for (; i < rows; i++) {
    const oi = i * n;
    for (let j = i; j < rows; j++) {
      const oj = j * n;
      let s = 0;
      for (let t = 0; t < n; t++) s += (x[oi + t] as number) * (x[oj + t] as number);
      setSym(out, rows, i, j, s * scale);
    }
  }
  return out;
}

function setSym(out: Float64Array, rows: number, i: number, j: number, v: number): void {
  out[i * rows + j] = v;
  out[j * rows + i] = v;
}
