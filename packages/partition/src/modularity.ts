import { PartitionError } from './errors';
import { type FilterGraph, degrees, totalWeight } from './filter-graph';

/**
 * Part of each filter: `assignment[f]` is the part index of filter `f`, or -1 when the filter is
 * unused. In modularity an unused filter counts as a community of its own (a singleton).
 */
export type Assignment = ArrayLike<number>;

/**
 * Weighted Newman modularity `Q = sum_c [ W_c / 2m - resolution * (D_c / 2m)^2 ]`, where `W_c` is
 * the weight inside community c counted in both directions, `D_c` the summed degree of its
 * members and `m` the total edge weight. Unused filters (-1) are singletons. Throws
 * `E_EMPTY_GRAPH` when m = 0.
 */
export function modularity(graph: FilterGraph, assignment: Assignment, resolution = 1): number {
  const n = checkAssignment(graph, assignment);
  const m = totalWeight(graph);
  if (!(m > 0)) throw new PartitionError('E_EMPTY_GRAPH', `modularity is undefined on the ${graph.kind} graph: it has no edge`);
  const k = degrees(graph);
  let parts = 0;
  for (let i = 0; i < n; i++) parts = Math.max(parts, (assignment[i] as number) + 1);
  const inside = new Float64Array(parts);
  const degreeSum = new Float64Array(parts);
  let singletons = 0;
  for (let i = 0; i < n; i++) {
    const c = assignment[i] as number;
    if (c < 0) {
      singletons += ((k[i] as number) / (2 * m)) ** 2;
      continue;
    }
    degreeSum[c] += k[i] as number;
    const row = i * n;
    for (let j = 0; j < n; j++) if (assignment[j] === c) inside[c] += graph.weights[row + j] as number;
  }
  let q = -resolution * singletons;
  for (let c = 0; c < parts; c++) q += (inside[c] as number) / (2 * m) - resolution * ((degreeSum[c] as number) / (2 * m)) ** 2;
  return q;
}

/**
 * The same modularity computed the other way, straight from the definition
 * `Q = (1/2m) sum_ij [A_ij - resolution * k_i k_j / 2m] delta(c_i, c_j)`; kept as an independent
 * check of {@link modularity}.
 */
export function modularityPairwise(graph: FilterGraph, assignment: Assignment, resolution = 1): number {
  const n = checkAssignment(graph, assignment);
  const k = degrees(graph);
  let twoM = 0;
  for (let i = 0; i < n; i++) twoM += k[i] as number;
  if (!(twoM > 0)) throw new PartitionError('E_EMPTY_GRAPH', `modularity is undefined on the ${graph.kind} graph: it has no edge`);
  let q = 0;
  for (let i = 0; i < n; i++) {
    const ci = assignment[i] as number;
    for (let j = 0; j < n; j++) {
      const same = i === j || (ci >= 0 && assignment[j] === ci);
      if (same) q += (graph.weights[i * n + j] as number) - (resolution * (k[i] as number) * (k[j] as number)) / twoM;
    }
  }
  return q / twoM;
}

function checkAssignment(graph: FilterGraph, assignment: Assignment): number {
  if (assignment.length !== graph.filters) {
    throw new PartitionError('E_PARTITION_INVALID', `assignment has ${assignment.length} entries, the graph has ${graph.filters} filters`);
  }
  for (let i = 0; i < assignment.length; i++) {
    const c = assignment[i] as number;
    if (!Number.isInteger(c) || c < -1) throw new PartitionError('E_PARTITION_INVALID', `assignment of filter ${i} must be an integer >= -1, got ${c}`);
  }
  return graph.filters;
}
