import { type FilterGraph, degrees, totalWeight } from './filter-graph';

/** Options of {@link refineBySwaps}. */
export interface SwapRefinementOptions {
  /** Number of parts; every entry of the assignment must lie in 0..parts-1. */
  readonly parts: number;
  /** Modularity resolution; default 1. */
  readonly resolution?: number;
  /** Largest number of swaps; default `filters` (one per filter). */
  readonly maxSwaps?: number;
}

/** What {@link refineBySwaps} did. */
export interface SwapRefinementResult {
  readonly assignment: Int32Array;
  /** Swaps applied. */
  readonly swaps: number;
  /** Total modularity gain of the swaps (resolution as given). */
  readonly gain: number;
  /** True when it stopped because no swap raised modularity (false: hit `maxSwaps`). */
  readonly converged: boolean;
}

/**
 * Size-preserving refinement (reconstruction, not from the paper): repeatedly applies the one
 * swap of two filters in different parts that raises modularity the most, until no swap raises
 * it by more than rounding noise or `maxSwaps` swaps were made. Part sizes never change. Each
 * step costs O(filters^2). Returns a new assignment; the input is not modified.
 */
export function refineBySwaps(graph: FilterGraph, assignment: ArrayLike<number>, options: SwapRefinementOptions): SwapRefinementResult {
  const n = graph.filters;
  const labels = Int32Array.from(assignment);
  const members = Array.from({ length: n }, (_, i) => i);
  const k = degrees(graph);
  const twoM = 2 * totalWeight(graph);
  const result = swapWithin(graph, k, twoM, options.resolution ?? 1, members, labels, options.parts, options.maxSwaps ?? n);
  return { assignment: labels, ...result };
}

/**
 * @internal Best-swap refinement restricted to `members` (global node indices) whose part
 * labels (0..parts-1, one per member, modified in place) are `labels`. Modularity uses the whole
 * graph's degrees `k` and total `twoM`, so refining one group of a larger partition raises the
 * whole partition's modularity by the same amount.
 */
export function swapWithin(
  graph: FilterGraph,
  k: Float64Array,
  twoM: number,
  gamma: number,
  members: readonly number[],
  labels: Int32Array,
  parts: number,
  maxSwaps: number,
): { swaps: number; gain: number; converged: boolean } {
  const s = members.length;
  if (!(twoM > 0) || parts < 2 || s < 2) return { swaps: 0, gain: 0, converged: true };
  // Dense copies restricted to the members: b[x * s + y] = B_{m_x m_y}.
  const n = graph.filters;
  const b = new Float64Array(s * s);
  for (let x = 0; x < s; x++) {
    const i = members[x] as number;
    const ki = (gamma * (k[i] as number)) / twoM;
    for (let y = 0; y < s; y++) {
      const j = members[y] as number;
      b[x * s + y] = (graph.weights[i * n + j] as number) - ki * (k[j] as number);
    }
  }
  // sum[x * parts + p] = sum of B_xy over the members y of part p.
  const sum = new Float64Array(s * parts);
  for (let x = 0; x < s; x++) {
    for (let y = 0; y < s; y++) sum[x * parts + (labels[y] as number)] += b[x * s + y] as number;
  }
  const g = new Float64Array(s * parts);
  const eps = 1e-12 * twoM;
  let swaps = 0;
  let gain = 0;
  while (swaps < maxSwaps) {
    // g[x, p] = S_xp - S_x,own + B_xx: x's half of the gain (x 2m / 2) of a swap into part p.
    for (let x = 0; x < s; x++) {
      const own = (sum[x * parts + (labels[x] as number)] as number) - (b[x * s + x] as number);
      for (let p = 0; p < parts; p++) g[x * parts + p] = (sum[x * parts + p] as number) - own;
    }
    let best = eps;
    let bx = -1;
    let by = -1;
    for (let x = 0; x < s; x++) {
      const cx = labels[x] as number;
      const gx = x * parts;
      const row = x * s;
      for (let y = x + 1; y < s; y++) {
        const cy = labels[y] as number;
        if (cy === cx) continue;
        // 2m x (modularity gain) of swapping x and y = 2 g[x, c_y] + 2 g[y, c_x] - 4 B_xy.
        const delta = 2 * ((g[gx + cy] as number) + (g[y * parts + cx] as number)) - 4 * (b[row + y] as number);
        if (delta > best) {
          best = delta;
          bx = x;
          by = y;
        }
      }
    }
    if (bx < 0) return { swaps, gain, converged: true };
    const px = labels[bx] as number;
    const py = labels[by] as number;
    for (let z = 0; z < s; z++) {
      const d = (b[z * s + by] as number) - (b[z * s + bx] as number);
      sum[z * parts + px] += d;
      sum[z * parts + py] -= d;
    }
    labels[bx] = py;
    labels[by] = px;
    swaps++;
    gain += best / twoM;
  }
  return { swaps, gain, converged: false };
}
