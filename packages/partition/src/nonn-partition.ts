import { UndirectedGraph } from 'graphology';
import louvain from 'graphology-communities-louvain';
import { PartitionError } from './errors';
import { type FilterGraph, assertNonEmptyGraph } from './filter-graph';
import { createSeededRng } from '@wearnet/random';

/** Default Louvain resolution of NoNN (0.7). */
export const DEFAULT_LOUVAIN_RESOLUTION = 0.7;

/** Options of {@link nonnPartition}. */
export interface NonnOptions {
  /** Number of students (parts), >= 1. */
  readonly parts: number;
  /** Seed of Louvain's random node order; default 1. */
  readonly seed?: number;
  /** Louvain resolution; default 0.7 (NoNN). */
  readonly resolution?: number;
  /**
   * false (default, NoNN): the largest bucket is left unused. true ("nonn-all", not in NoNN):
   * every filter is assigned; isolated filters are handed out one by one.
   */
  readonly assignAll?: boolean;
}

/** Result of {@link nonnPartition}. */
export interface NonnResult {
  /** Part index of every filter, -1 for filters left unused. */
  readonly assignment: Int32Array;
  /** Louvain communities (sorted member lists), ordered by label. */
  readonly communities: number[][];
  /** Modularity of the Louvain communities at the Louvain resolution, as the library reports it. */
  readonly louvainModularity: number;
}

/**
 * NoNN partitioning (Bhardwaj et al. 2019, step 3): Louvain communities of the filter graph
 * (graphology-communities-louvain, random walk driven by the seeded rng), then the bucket rule:
 * communities of size <= 1 form one bucket; buckets are sorted by size (descending; ties by
 * smallest filter index), the largest is not used, the next `parts` seed the students in order
 * and every further bucket goes to the student with the fewest filters (ties: lowest student).
 * With `assignAll` every community and every isolated filter is a bucket and none is dropped.
 * Throws `E_EMPTY_GRAPH`, and `E_TOO_FEW_COMMUNITIES` when some student would get no filter.
 */
export function nonnPartition(graph: FilterGraph, options: NonnOptions): NonnResult {
  const n = graph.filters;
  const { parts } = options;
  if (parts > n) throw new PartitionError('E_TOO_MANY_PARTS', `cannot give ${parts} students filters from ${n} filters`);
  assertNonEmptyGraph(graph);
  const { communities, modularity } = louvainCommunities(graph, options.resolution ?? DEFAULT_LOUVAIN_RESOLUTION, options.seed ?? 1);

  const big = communities.filter((c) => c.length >= 2);
  const isolated = communities
    .filter((c) => c.length < 2)
    .flat()
    .sort((x, y) => x - y);
  let buckets: number[][];
  if (options.assignAll === true) {
    buckets = [...big, ...isolated.map((f) => [f])];
  } else {
    buckets = isolated.length > 0 ? [...big, isolated] : [...big];
  }
  buckets.sort((x, y) => y.length - x.length || (x[0] as number) - (y[0] as number));
  if (options.assignAll !== true) buckets = buckets.slice(1);

  const assignment = new Int32Array(n).fill(-1);
  const load = new Array<number>(parts).fill(0);
  for (const bucket of buckets) {
    let target = 0;
    for (let p = 1; p < parts; p++) if ((load[p] as number) < (load[target] as number)) target = p;
    for (const f of bucket) assignment[f] = target;
    load[target] = (load[target] as number) + bucket.length;
  }
  const empty = load.findIndex((l) => l === 0);
  if (empty >= 0) {
    throw new PartitionError(
      'E_TOO_FEW_COMMUNITIES',
      `Louvain found ${communities.length} communities (${big.length} of size >= 2) on the ${graph.kind} graph: not enough buckets for ${parts} students (the largest bucket is left unused). Use method nonn-all, which gives the bucket of single filters out too, or fewer parts; a lower hubs-graph percentile keeps more edges and so merges communities (on the 128-filter quick teacher percentiles 95, 90 and 80 all give 2)`,
    );
  }
  return { assignment, communities, louvainModularity: modularity };
}

/** Louvain communities of a filter graph with a seeded random walk. */
function louvainCommunities(graph: FilterGraph, resolution: number, seed: number): { communities: number[][]; modularity: number } {
  const n = graph.filters;
  const g = new UndirectedGraph();
  for (let i = 0; i < n; i++) g.addNode(String(i));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const w = graph.weights[i * n + j] as number;
      if (w > 0) g.addUndirectedEdge(String(i), String(j), { weight: w });
    }
  }
  const rng = createSeededRng(seed);
  const detailed = louvain.detailed(g, { resolution, rng: () => rng.float(), getEdgeWeight: 'weight' });
  const byLabel = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const label = detailed.communities[String(i)] as number;
    const members = byLabel.get(label);
    if (members === undefined) byLabel.set(label, [i]);
    else members.push(i);
  }
  const communities = [...byLabel.entries()].sort((x, y) => x[0] - y[0]).map((e) => e[1]);
  return { communities, modularity: detailed.modularity };
}
