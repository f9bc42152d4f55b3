import { PartitionError } from './errors';

/** Which construction produced a filter graph. */
export type GraphKind = 'hubs' | 'pearson' | 'product';

/**
 * An undirected weighted graph on the filters, stored dense: `weights[i * filters + j]` is the
 * non-negative weight of edge {i, j}; the matrix is symmetric with a zero diagonal.
 */
export interface FilterGraph {
  readonly kind: GraphKind;
  /** Number of nodes (filters). */
  readonly filters: number;
  /** `filters * filters` symmetric non-negative weights, zero diagonal. */
  readonly weights: Float64Array;
}

/** Weighted degree `k_i = sum_j A_ij` of every node. */
export function degrees(graph: FilterGraph): Float64Array {
  const n = graph.filters;
  const k = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) s += graph.weights[row + j] as number;
    k[i] = s;
  }
  return k;
}

/** Total edge weight `m = (1/2) sum_ij A_ij` (each undirected edge counted once). */
export function totalWeight(graph: FilterGraph): number {
  let s = 0;
  for (let k = 0; k < graph.weights.length; k++) s += graph.weights[k] as number;
  return s / 2;
}

/** Number of undirected edges with a positive weight. */
export function edgeCount(graph: FilterGraph): number {
  let c = 0;
  for (let k = 0; k < graph.weights.length; k++) if ((graph.weights[k] as number) > 0) c++;
  return c / 2;
}

/** Throws `E_EMPTY_GRAPH` when the graph has no edge of positive weight (modularity is undefined). */
export function assertNonEmptyGraph(graph: FilterGraph): void {
  if (!(totalWeight(graph) > 0)) {
    throw new PartitionError('E_EMPTY_GRAPH', `the ${graph.kind} graph on ${graph.filters} filters has no edge of positive weight`);
  }
}

/**
 * Builds a {@link FilterGraph} from a dense symmetric weight matrix (checked: square size,
 * finite, non-negative, symmetric; the diagonal is ignored and set to zero). Useful for tests
 * and for graphs built elsewhere. Throws `E_OPTION_INVALID` for a malformed matrix.
 */
export function filterGraphFromWeights(kind: GraphKind, filters: number, weights: ArrayLike<number>): FilterGraph {
  if (!Number.isSafeInteger(filters) || filters < 1 || weights.length !== filters * filters) {
    throw new PartitionError('E_OPTION_INVALID', `a filter graph on ${filters} filters needs ${filters}x${filters} weights, got ${weights.length}`);
  }
  const w = new Float64Array(filters * filters);
  for (let i = 0; i < filters; i++) {
    for (let j = 0; j < filters; j++) {
      if (i === j) continue;
      const v = weights[i * filters + j] as number;
      if (!Number.isFinite(v) || v < 0) {
        throw new PartitionError('E_OPTION_INVALID', `graph weight (${i}, ${j}) must be finite and >= 0, got ${v}`);
      }
      if (v !== weights[j * filters + i]) {
        throw new PartitionError('E_OPTION_INVALID', `graph weights must be symmetric, (${i}, ${j}) differs from (${j}, ${i})`);
      }
      w[i * filters + j] = v;
    }
  }
  return { kind, filters, weights: w };
}
