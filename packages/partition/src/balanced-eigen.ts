import { balancedSizes } from './assignment';
import { PartitionError } from './errors';
import { type FilterGraph, assertNonEmptyGraph, degrees, totalWeight } from './filter-graph';
import { leadingEigenpair, type Eigenpair } from './leading-eigenvector';

/** Convergence of the eigenvectors a balanced partition was cut from. */
export interface EigenSummary {
  readonly splits: number;
  readonly converged: boolean;
  /** Largest residual `||B y - lambda y||` of a split's vector. */
  readonly maxResidual: number;
}
import { modularity } from './modularity';
import { createSeededRng } from '@wearnet/random';
import { swapWithin } from './swap-refinement';

/** Options of {@link balancedEigenPartition}. */
export interface BalancedEigenOptions {
  /** Number of parts, 1..filters. */
  readonly parts: number;
  /** Seed of the Lanczos start vectors; default 1. */
  readonly seed?: number;
  /** Modularity resolution gamma in `B = A - gamma k k^T / 2m`; default 1 (Newman). */
  readonly resolution?: number;
  /** Refine each split, then the final parts, by size-preserving swaps that raise modularity; default true. */
  readonly refine?: boolean;
  /** Cap on the swaps of each refinement pass (one per split plus a final one); default `filters`. */
  readonly maxSwaps?: number;
}

/** Result of {@link balancedEigenPartition}. */
export interface BalancedEigenResult {
  /** Part index (0..parts-1) of every filter; every filter is assigned. */
  readonly assignment: Int32Array;
  /** Swaps made by all refinement passes (0 when disabled). */
  readonly swaps: number;
  /** Whether every refinement pass stopped on its own rather than at `maxSwaps` (true when disabled). */
  readonly refinementConverged: boolean;
  /** The leading eigenvectors the splits sorted on: how many, whether all met the solver's tolerance, the worst residual. */
  readonly eigen: EigenSummary;
}

/**
 * Balanced leading-eigenvector partitioning (Jeong, Park, Yang 2021; the exact rule is not
 * published, this is the reconstruction documented in the README). With the modularity matrix
 * `B = A - gamma k k^T / 2m`, a group g of members that must become p parts is split by sorting
 * its members on the leading eigenvector of the generalised modularity matrix
 * `B(g)_ij = B_ij - delta_ij sum_{l in g} B_il` (Newman 2006) and cutting where the first
 * ceil(p/2) final parts' sizes end; of the two orientations of the cut the one with the larger
 * modularity is kept. Recursing until every group is one part gives parts whose sizes differ
 * by at most 1 for any number of parts. With `refine` (default) size-preserving swaps that
 * raise modularity are applied, in two variants whose better result is returned: swaps across
 * each cut as it is made plus a final pass between any two parts, and the final pass alone. Throws `E_TOO_MANY_PARTS` (parts > filters) and
 * `E_EMPTY_GRAPH`.
 */
export function balancedEigenPartition(graph: FilterGraph, options: BalancedEigenOptions): BalancedEigenResult {
  const n = graph.filters;
  const { parts } = options;
  if (parts > n) throw new PartitionError('E_TOO_MANY_PARTS', `cannot cut ${n} filters into ${parts} non-empty parts`);
  assertNonEmptyGraph(graph);
  const ctx: SplitContext = {
    graph,
    gamma: options.resolution ?? 1,
    k: degrees(graph),
    twoM: 2 * totalWeight(graph),
    seed: options.seed ?? 1,
    maxSwaps: options.maxSwaps ?? n,
  };
  if (options.refine === false) return recursiveSplits(ctx, parts, 'none');
  // Fine-tuning every split can lead the greedy swaps into a worse basin than fine-tuning only
  // the final parts; both are cheap next to building the graph, so keep the better one. This
  // also guarantees that refinement never returns a lower modularity than no refinement.
  const perSplit = recursiveSplits(ctx, parts, 'per-split');
  const finalOnly = recursiveSplits(ctx, parts, 'final');
  return modularity(graph, finalOnly.assignment, ctx.gamma) > modularity(graph, perSplit.assignment, ctx.gamma) ? finalOnly : perSplit;
}

interface SplitContext {
  readonly graph: FilterGraph;
  readonly gamma: number;
  readonly k: Float64Array;
  readonly twoM: number;
  readonly seed: number;
  readonly maxSwaps: number;
}

/**
 * One run of the recursive eigenvector splits. `refine`: 'none'; 'final' (swaps between any two
 * parts at the end); 'per-split' (swaps across every cut as it is made, then 'final').
 */
function recursiveSplits(ctx: SplitContext, parts: number, refine: 'none' | 'final' | 'per-split'): BalancedEigenResult {
  const { graph, k, twoM, gamma } = ctx;
  const n = graph.filters;
  const rng = createSeededRng(ctx.seed);
  const assignment = new Int32Array(n);
  let swaps = 0;
  let converged = true;
  const eigen = { splits: 0, converged: true, maxResidual: 0 };
  const refinePass = (members: number[], labels: Int32Array, count: number): void => {
    const pass = swapWithin(graph, k, twoM, gamma, members, labels, count, ctx.maxSwaps);
    swaps += pass.swaps;
    converged &&= pass.converged;
  };

  const split = (group: number[], sizes: number[], first: number): void => {
    if (sizes.length === 1) {
      for (const f of group) assignment[f] = first;
      return;
    }
    const leftParts = Math.ceil(sizes.length / 2);
    const leftSizes = sizes.slice(0, leftParts);
    const rightSizes = sizes.slice(leftParts);
    const leftCount = leftSizes.reduce((x, y) => x + y, 0);
    const pair = groupLeadingEigenvector(graph, k, twoM, gamma, group, rng);
    const vector = pair.vector;
    eigen.splits += 1;
    eigen.converged &&= pair.converged;
    eigen.maxResidual = Math.max(eigen.maxResidual, pair.residual);
    const order = group.map((f, idx) => ({ f, v: vector[idx] as number }));
    order.sort((x, y) => x.v - y.v || x.f - y.f);
    const sorted = order.map((o) => o.f);
    let left = sorted.slice(0, leftCount);
    let right = sorted.slice(leftCount);
    if (leftCount * 2 !== group.length) {
      // The eigenvector's sign is arbitrary: try the larger side at either end of the order.
      const highLeft = sorted.slice(group.length - leftCount);
      const highRight = sorted.slice(0, group.length - leftCount);
      const low = innerB(graph, k, twoM, gamma, left) + innerB(graph, k, twoM, gamma, right);
      const high = innerB(graph, k, twoM, gamma, highLeft) + innerB(graph, k, twoM, gamma, highRight);
      if (high > low) {
        left = highLeft;
        right = highRight;
      }
    }
    if (refine === 'per-split') {
      const members = [...left, ...right];
      const labels = Int32Array.from(members, (_, at) => (at < left.length ? 0 : 1));
      refinePass(members, labels, 2);
      left = members.filter((_, at) => labels[at] === 0);
      right = members.filter((_, at) => labels[at] === 1);
    }
    split(left, leftSizes, first);
    split(right, rightSizes, first + leftParts);
  };
  const all = Array.from({ length: n }, (_, i) => i);
  split(all, balancedSizes(n, parts), 0);
  if (refine !== 'none' && (parts > 2 || refine === 'final')) refinePass(all, assignment, parts);
  return { assignment, swaps, refinementConverged: converged, eigen };
}

/** Leading eigenvector of the generalised modularity matrix of `group` (entries in group order). */
function groupLeadingEigenvector(
  graph: FilterGraph,
  k: Float64Array,
  twoM: number,
  gamma: number,
  group: number[],
  rng: ReturnType<typeof createSeededRng>,
): Eigenpair {
  const s = group.length;
  const n = graph.filters;
  const sub = new Float64Array(s * s);
  const kg = new Float64Array(s);
  for (let a = 0; a < s; a++) {
    const row = (group[a] as number) * n;
    kg[a] = k[group[a] as number] as number;
    for (let b = 0; b < s; b++) sub[a * s + b] = graph.weights[row + (group[b] as number)] as number;
  }
  let kSum = 0;
  for (let a = 0; a < s; a++) kSum += kg[a] as number;
  // diag[a] = sum over the group of B_ab = (row sum of A in the group) - gamma k_a K_g / 2m.
  const diag = new Float64Array(s);
  for (let a = 0; a < s; a++) {
    let r = 0;
    for (let b = 0; b < s; b++) r += sub[a * s + b] as number;
    diag[a] = r - (gamma * (kg[a] as number) * kSum) / twoM;
  }
  const apply = (x: Float64Array, out: Float64Array): void => {
    let kx = 0;
    for (let b = 0; b < s; b++) kx += (kg[b] as number) * (x[b] as number);
    const f = (gamma * kx) / twoM;
    for (let a = 0; a < s; a++) {
      let acc = 0;
      const row = a * s;
      for (let b = 0; b < s; b++) acc += (sub[row + b] as number) * (x[b] as number);
      out[a] = acc - (kg[a] as number) * f - (diag[a] as number) * (x[a] as number);
    }
  };
  return leadingEigenpair(s, apply, rng);
}

/** sum over i, j in `members` of B_ij. */
function innerB(graph: FilterGraph, k: Float64Array, twoM: number, gamma: number, members: number[]): number {
  const n = graph.filters;
  let inside = 0;
  let kSum = 0;
  for (const i of members) {
    kSum += k[i] as number;
    const row = i * n;
    for (const j of members) inside += graph.weights[row + j] as number;
  }
  return inside - (gamma * kSum * kSum) / twoM;
}
