import { type FilterGraph, type PartitionError, createRng, filterGraphFromWeights, nonnPartition } from '@wearnet/partition';

/** A planted-partition graph: `blocks` equal dense blocks of `size` filters at shuffled indices, plus weak noise edges. */
export interface Planted {
  readonly graph: FilterGraph;
  /** Members of each block, ascending. */
  readonly blocks: number[][];
}

/**
 * Builds a planted-partition graph: intra-block weights uniform in [0.6, 1], inter-block edges
 * present with probability 0.3 and weight uniform in [0, 0.15]. Filters are shuffled so that
 * blocks are not index ranges.
 */
export function plantedGraph(blocks: number, size: number, seed: number): Planted {
  const rng = createRng(seed);
  const n = blocks * size;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const block = new Int32Array(n);
  order.forEach((f, at) => (block[f] = Math.floor(at / size)));
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = block[i] === block[j] ? 0.6 + 0.4 * rng.float() : rng.float() < 0.3 ? 0.15 * rng.float() : 0;
      w[i * n + j] = v;
      w[j * n + i] = v;
    }
  }
  const lists = Array.from({ length: blocks }, (_, b) => order.slice(b * size, (b + 1) * size).sort((x, y) => x - y));
  return { graph: filterGraphFromWeights('pearson', n, w), blocks: lists };
}

/**
 * Activations (images x filters) with `groups` planted groups: each image switches each group on
 * with probability 0.3; members respond with their own gain plus small noise (some values < 0).
 */
export function plantedActivations(
  images: number,
  filters: number,
  groups: number,
  seed: number,
): { images: number; filters: number; data: Float32Array; group: Int32Array } {
  const rng = createRng(seed);
  const group = new Int32Array(filters);
  for (let f = 0; f < filters; f++) group[f] = f % groups;
  for (let i = filters - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const t = group[i] as number;
    group[i] = group[j] as number;
    group[j] = t;
  }
  const gain = Float64Array.from({ length: filters }, () => 0.5 + rng.float());
  const data = new Float32Array(images * filters);
  const on = new Float64Array(groups);
  for (let i = 0; i < images; i++) {
    for (let g = 0; g < groups; g++) on[g] = rng.float() < 0.3 ? 0.5 + rng.float() : 0;
    for (let f = 0; f < filters; f++) {
      data[i * filters + f] = (on[group[f] as number] as number) * (gain[f] as number) + (rng.float() - 0.5) * 0.2;
    }
  }
  return { images, filters, data, group };
}

/** Sorted, canonical form of a list of parts, for set-of-sets comparison. */
export function canonical(parts: ReadonlyArray<ReadonlyArray<number>>): string {
  return JSON.stringify(parts.map((p) => [...p].sort((x, y) => x - y)).sort((x, y) => (x[0] as number) - (y[0] as number)));
}

/**
 * NoNN assignment of a planted graph, or undefined when Louvain merged blocks so that there are
 * too few buckets for the students (E_TOO_FEW_COMMUNITIES): nothing to compare then.
 */
export function nonnOrSkip(graph: FilterGraph, parts: number, seed: number, assignAll: boolean): Int32Array | undefined {
  try {
    return nonnPartition(graph, { parts, seed, assignAll }).assignment;
  } catch (err) {
    if ((err as PartitionError).code === 'E_TOO_FEW_COMMUNITIES') return undefined;
    throw err;
  }
}
