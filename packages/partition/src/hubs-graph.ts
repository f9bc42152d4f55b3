import { type ActivationsInput, normaliseActivations, toActivationMatrix } from './activation-matrix';
import { invalidOption } from './errors';
import type { FilterGraph } from './filter-graph';

/** Default number of strongest filters kept per image (NoNN: 50). */
export const DEFAULT_HUBS_TOP_K = 50;
/** Default percentile of the non-zero edge weights below which edges are dropped (NoNN: 99). */
export const DEFAULT_HUBS_PERCENTILE = 99;

/** Options of the NoNN activation-hubs graph. */
export interface HubsGraphOptions {
  /** Filters kept per image, by normalised activation (ties: lower filter index first); default 50. Clamped to the number of filters. */
  readonly topK?: number;
  /** Edges whose normalised weight is below this percentile (0..100, linear interpolation as numpy's default) of the non-zero weights are dropped; default 99. */
  readonly percentile?: number;
}

/** {@link HubsGraphOptions} with every default filled in. */
export interface ResolvedHubsGraphOptions {
  readonly topK: number;
  readonly percentile: number;
}

/** Resolves {@link HubsGraphOptions}; throws `E_OPTION_INVALID` naming the bad option. */
export function resolveHubsGraphOptions(options: HubsGraphOptions = {}): ResolvedHubsGraphOptions {
  const topK = options.topK ?? DEFAULT_HUBS_TOP_K;
  const percentile = options.percentile ?? DEFAULT_HUBS_PERCENTILE;
  if (!Number.isSafeInteger(topK) || topK < 2) invalidOption('topK', 'an integer >= 2', topK);
  if (typeof percentile !== 'number' || !(percentile >= 0 && percentile <= 100)) invalidOption('percentile', 'a number in [0, 100]', percentile);
  return { topK, percentile };
}

/**
 * Builds NoNN's activation-hubs graph (Bhardwaj et al. 2019, step 2): activations are clipped at
 * 0 and divided by each image's largest value; for every image the `topK` strongest filters are
 * kept and every pair (i, j) among them adds `a_i * a_j * |a_i - a_j|` to edge {i, j}; weights
 * are divided by the largest one and edges below the `percentile`-th percentile of the non-zero
 * weights are removed. The graph may have no edge at all (e.g. constant activations); the
 * partitioners then throw `E_EMPTY_GRAPH`.
 */
export function buildHubsGraph(activations: ActivationsInput, options: HubsGraphOptions = {}): FilterGraph {
  const resolved = resolveHubsGraphOptions(options);
  const matrix = toActivationMatrix(activations);
  return hubsGraphFromNormalised(normaliseActivations(matrix), matrix.images, matrix.filters, resolved);
}

/** @internal Hubs graph from activations already normalised, filters-major (`a[f * images + i]`). */
export function hubsGraphFromNormalised(a: Float64Array, images: number, filters: number, options: ResolvedHubsGraphOptions): FilterGraph {
  const k = Math.min(options.topK, filters);
  const w = new Float64Array(filters * filters);
  const column = new Float64Array(filters);
  const sorted = new Float64Array(filters);
  const picked = new Int32Array(k);
  const pickedValue = new Float64Array(k);
  for (let i = 0; i < images; i++) {
    for (let f = 0; f < filters; f++) column[f] = a[f * images + i] as number;
    sorted.set(column);
    sorted.sort();
    const kth = sorted[filters - k] as number;
    // Strictly larger values are all kept; values equal to the k-th fill the rest by index.
    let above = 0;
    for (let p = filters - k; p < filters; p++) if ((sorted[p] as number) > kth) above++;
    let tiesLeft = k - above;
    let n = 0;
    for (let f = 0; f < filters && n < k; f++) {
      const v = column[f] as number;
      if (v > kth || (v === kth && tiesLeft-- > 0)) {
        picked[n] = f;
        pickedValue[n] = v;
        n++;
      }
    }
    for (let p = 0; p < n; p++) {
      const ap = pickedValue[p] as number;
      if (ap === 0) continue;
      const row = (picked[p] as number) * filters;
      for (let q = p + 1; q < n; q++) {
        const aq = pickedValue[q] as number;
        const add = ap * aq * Math.abs(ap - aq);
        if (add > 0) w[row + (picked[q] as number)] += add; // picked is ascending: upper triangle
      }
    }
  }
  const nonZero: number[] = [];
  let max = 0;
  for (let i = 0; i < filters; i++) {
    for (let j = i + 1; j < filters; j++) {
      const v = w[i * filters + j] as number;
      if (v > 0) {
        nonZero.push(v);
        if (v > max) max = v;
      }
    }
  }
  const weights = new Float64Array(filters * filters);
  if (nonZero.length === 0) return { kind: 'hubs', filters, weights };
  const threshold = percentileOf(Float64Array.from(nonZero).sort(), options.percentile);
  for (let i = 0; i < filters; i++) {
    for (let j = i + 1; j < filters; j++) {
      const v = w[i * filters + j] as number;
      if (v > 0 && v >= threshold) {
        weights[i * filters + j] = v / max;
        weights[j * filters + i] = v / max;
      }
    }
  }
  return { kind: 'hubs', filters, weights };
}

/** Percentile `p` (0..100) of ascending `sorted` values with linear interpolation (numpy's default). */
export function percentileOf(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(n - 1, lo + 1);
  const vlo = sorted[lo] as number;
  return vlo + ((sorted[hi] as number) - vlo) * (rank - lo);
}
